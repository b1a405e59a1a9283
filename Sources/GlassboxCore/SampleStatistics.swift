/// Per-element mean and spread of a set of samples, mergeable across batches.
///
/// Holds the count, the mean and the sum of squared deviations from the mean
/// (Welford's M₂). Two sets merge exactly with the pairwise update of Chan,
/// Golub & LeVeque (1979), so statistics of a batch split into chunks equal
/// those of the whole batch up to rounding.
public struct SampleStatistics: Sendable {
    /// The number of samples summarised.
    public let count: Int
    /// The per-element mean, shape `(1, …)`.
    public let mean: Tensor
    /// The per-element sum of squared deviations from the mean (M₂), shape `(1, …)`.
    public let sumOfSquaredDeviations: Tensor

    /// Wraps statistics a backend computed.
    public init(count: Int, mean: Tensor, sumOfSquaredDeviations: Tensor) {
        self.count = count
        self.mean = mean
        self.sumOfSquaredDeviations = sumOfSquaredDeviations
    }

    /// The population variance M₂ / n (as Captum's VarGrad and MC-dropout use).
    public func variance() throws -> Tensor {
        try mean.backend.affine(sumOfSquaredDeviations, scale: 1 / Float(count), shift: 0)
    }

    /// The mean of the squared samples, variance + mean² (SmoothGrad-squared).
    public func meanOfSquares() throws -> Tensor {
        let backend = mean.backend
        return try backend.binary(try variance(), try backend.unary(mean, .square), .add)
    }

    /// The running statistics of chunks of samples: `earlier` merged with `next`, or
    /// `next` alone for the first chunk.
    public static func merging(_ earlier: SampleStatistics?, _ next: SampleStatistics) throws -> SampleStatistics {
        try earlier.map { try $0.merged(with: next) } ?? next
    }

    /// The statistics of the union of both sample sets (Chan et al.'s update):
    /// δ = μ_b − μ_a, μ = μ_a + δ·n_b/n, M₂ = M₂a + M₂b + δ²·n_a·n_b/n.
    public func merged(with other: SampleStatistics) throws -> SampleStatistics {
        guard mean.shape == other.mean.shape else {
            throw GlassboxError.shapeMismatch("merging statistics of \(mean.shape) and \(other.mean.shape)")
        }
        let backend = mean.backend
        let total = count + other.count
        let delta = try backend.binary(other.mean, mean, .subtract)
        let newMean = try backend.axpy(alpha: Float(other.count) / Float(total), delta, mean)
        let correction = try backend.affine(
            try backend.unary(delta, .square),
            scale: Float(Double(count) * Double(other.count) / Double(total)), shift: 0)
        let m2 = try backend.binary(
            try backend.binary(sumOfSquaredDeviations, other.sumOfSquaredDeviations, .add),
            correction, .add)
        return SampleStatistics(count: total, mean: newMean, sumOfSquaredDeviations: m2)
    }
}
