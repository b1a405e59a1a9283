/// The argument rules of the random and batched-sampling operations, shared by
/// every backend so they accept and reject exactly the same calls.
public enum SamplingPlans {
    /// The keep factor 1/(1 − p) of an inverted-dropout mask, after checking p ∈ [0, 1).
    public static func dropoutKeepScale(probability: Float) throws -> Float {
        guard probability >= 0, probability < 1 else {
            throw GlassboxError.invalidArgument("dropout probability \(probability) is not in [0, 1)")
        }
        return 1 / (1 - probability)
    }

    /// The shape `(count, …)` of a noisy batch of the one-sample tensor `input`.
    public static func noisyBatchShape(input: Shape, count: Int) throws -> Shape {
        guard input.rank >= 1, input[0] == 1, count > 0 else {
            throw GlassboxError.shapeMismatch(
                "noisy batch needs one sample (1, …) and a positive count, got \(input) × \(count)")
        }
        return input.withBatch(count)
    }

    /// The shape `(K, …)` of the interpolation batch between one-sample `input` and `baseline`.
    public static func interpolationShape(input: Shape, baseline: Shape, steps: Int) throws -> Shape {
        guard input.rank >= 1, input[0] == 1, baseline == input, steps > 0 else {
            throw GlassboxError.shapeMismatch(
                "interpolation needs one sample (1, …) and a baseline of the same shape, got \(input) and \(baseline)")
        }
        return input.withBatch(steps)
    }

    /// The shape `(1, …)` of the statistics of a non-empty batch.
    public static func statisticsShape(batch: Shape) throws -> Shape {
        guard batch.rank >= 1, batch[0] > 0 else {
            throw GlassboxError.shapeMismatch("sample statistics of an empty batch \(batch)")
        }
        return batch.withBatch(1)
    }
}
