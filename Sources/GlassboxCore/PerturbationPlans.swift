/// The argument rules of the perturbation batches of the model-agnostic explainers
/// (LIME, Ribeiro et al. 2016; KernelSHAP and Shapley values, Lundberg & Lee 2017),
/// shared by every backend so they accept and reject exactly the same calls.
public enum PerturbationPlans {
    /// The shape `(N·R, …)` of the masked batch of a one-sample `input` `(1, …)` of E > 0
    /// elements, with `features` of E elements, `fill` of R ≥ 1 rows of E elements and
    /// `masks` of shape `(N, F)`, N and F positive.
    ///
    /// Throws ``GlassboxError/shapeMismatch(_:)`` otherwise.
    public static func maskedBatchShape(input: Shape, features: Shape, fill: Shape, masks: Shape) throws -> Shape {
        guard input.rank >= 1, input[0] == 1, input.count > 0 else {
            throw GlassboxError.shapeMismatch("maskedBatch needs one non-empty sample (1, …) as input, got \(input)")
        }
        let size = input.count
        guard features.count == size, fill.rank >= 1, fill[0] >= 1, fill.count == fill[0] * size else {
            throw GlassboxError.shapeMismatch(
                "maskedBatch needs features of \(size) elements and fill rows of \(size) elements for the input "
                    + "\(input), got features \(features) and fill \(fill)")
        }
        guard masks.rank == 2, masks[0] > 0, masks[1] > 0 else {
            throw GlassboxError.shapeMismatch("maskedBatch needs masks (N, F) with N, F > 0, got \(masks)")
        }
        return input.withBatch(masks[0] * fill[0])
    }

    /// The row length T of `packRows` on a tensor of `shape`: its last extent, after
    /// checking that it has at least one axis (else ``GlassboxError/shapeMismatch(_:)``).
    public static func packedRowLength(_ shape: Shape) throws -> Int {
        guard shape.rank >= 1 else {
            throw GlassboxError.shapeMismatch("packRows needs rows along a last axis, got the scalar shape \(shape)")
        }
        return shape[shape.rank - 1]
    }
}
