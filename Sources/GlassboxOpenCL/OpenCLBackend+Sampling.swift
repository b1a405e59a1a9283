import GlassboxCore

extension OpenCLBackend {
    public func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor {
        guard input.shape.rank >= 1, input.shape[0] == 1, count > 0 else {
            throw GlassboxError.shapeMismatch("noisy batch needs one sample (1, …) and a positive count, got \(input.shape) × \(count)")
        }
        let result = try makeOutput(input.shape.withBatch(count))
        try launchPhilox("kernel_noisy_batch", count: result.count, stream: stream,
                         [.tensor(result), .tensor(input), .int(input.count), .int(result.count), .float(standardDeviation)])
        return result
    }

    public func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor {
        guard input.shape.rank >= 1, input.shape[0] == 1, baseline.shape == input.shape, !alphas.isEmpty else {
            throw GlassboxError.shapeMismatch("interpolation needs one sample (1, …) and a baseline of the same shape, got \(input.shape) and \(baseline.shape)")
        }
        let result = try makeOutput(input.shape.withBatch(alphas.count))
        let factors = try upload(alphas, shape: [alphas.count])
        try launch("kernel_interpolation_batch", count: result.count, .tensor(result), .tensor(input), .tensor(baseline),
                   .tensor(factors), .int(input.count), .int(result.count))
        return result
    }

    public func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics {
        guard batch.shape.rank >= 1, batch.shape[0] > 0 else {
            throw GlassboxError.shapeMismatch("sample statistics of an empty batch \(batch.shape)")
        }
        let size = batch.shape.stride(of: 0)
        let mean = try makeOutput(batch.shape.withBatch(1))
        let deviations = try makeOutput(batch.shape.withBatch(1))
        try launch("kernel_sample_statistics", count: size, .tensor(mean), .tensor(deviations), .tensor(batch),
                   .int(size), .int(batch.count))
        return SampleStatistics(count: batch.shape[0], mean: mean, sumOfSquaredDeviations: deviations)
    }
}
