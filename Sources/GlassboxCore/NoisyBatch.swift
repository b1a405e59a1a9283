/// Noisy copies of one input, x + σ·z with z standard normal draws of ``Philox``,
/// described rather than made: the batch SmoothGrad and its variants explain
/// (Smilkov et al. 2017).
///
/// Element i of sample n is `input[i] + standardDeviation · z`, z the normal draw
/// `stream.offset + n·input.count + i`: exactly the tensor
/// ``Backend/noisyBatch(_:count:standardDeviation:stream:)`` makes. A backend may
/// instead draw each element where a kernel reads it
/// (the `conv2d` of a `NoisyBatch`, see ``Backend``), so the batch never
/// occupies memory.
public struct NoisyBatch: Sendable {
    /// The one sample `(1, …)` the copies are made of.
    public let input: Tensor
    /// The number of copies.
    public let count: Int
    /// σ, the standard deviation of the noise.
    public let standardDeviation: Float
    /// The stream whose normal draws sample 0 starts at.
    public let stream: RandomStream

    /// Describes `count` copies of `input` (1, …) with noise of standard deviation
    /// `standardDeviation` drawn from `stream`; throws when `input` is not one sample
    /// or `count` is not positive.
    public init(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws {
        _ = try SamplingPlans.noisyBatchShape(input: input.shape, count: count)
        self.input = input
        self.count = count
        self.standardDeviation = standardDeviation
        self.stream = stream
    }

    /// The backend the input lives on.
    public var backend: any Backend { input.backend }

    /// The shape of the batch, `(count, …)`.
    public var shape: Shape { input.shape.withBatch(count) }

    /// The copies as a tensor.
    public func materialized() throws -> Tensor {
        try backend.noisyBatch(input, count: count, standardDeviation: standardDeviation, stream: stream)
    }

    /// Samples `range` of this batch, with the noise they have in the whole batch.
    public func samples(_ range: Range<Int>) throws -> NoisyBatch {
        guard range.lowerBound >= 0, range.upperBound <= count, !range.isEmpty else {
            throw GlassboxError.invalidArgument("samples \(range) of a noisy batch of \(count)")
        }
        return try NoisyBatch(
            input, count: range.count, standardDeviation: standardDeviation,
            stream: stream.advanced(by: UInt64(range.lowerBound * input.count)))
    }
}
