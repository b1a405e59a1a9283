extension CPUBackend {
    public func randomUniform(_ shape: Shape, stream: RandomStream) throws -> Tensor {
        let (result, output) = makeOutput(shape)
        Philox.fillUniform(output, stream: stream)
        return result
    }

    public func randomNormal(_ shape: Shape, mean: Float, standardDeviation: Float, stream: RandomStream) throws -> Tensor {
        let (result, output) = makeOutput(shape)
        Philox.fillNormal(output, stream: stream)
        for index in 0..<output.count { output[index] = mean + standardDeviation * output[index] }
        return result
    }

    public func dropoutMask(_ shape: Shape, probability: Float, stream: RandomStream) throws -> Tensor {
        guard probability >= 0, probability < 1 else {
            throw GlassboxError.invalidArgument("dropout probability \(probability) is not in [0, 1)")
        }
        let (result, output) = makeOutput(shape)
        Philox.fillUniform(output, stream: stream)
        let keep = 1 / (1 - probability)
        for index in 0..<output.count { output[index] = output[index] >= probability ? keep : 0 }
        return result
    }

    public func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor {
        guard input.shape.rank >= 1, input.shape[0] == 1, count > 0 else {
            throw GlassboxError.shapeMismatch("noisy batch needs one sample (1, …) and a positive count, got \(input.shape) × \(count)")
        }
        let x = try storage(of: input)
        let (result, output) = makeOutput(input.shape.withBatch(count))
        Philox.fillNormal(output, stream: stream)
        for index in 0..<output.count { output[index] = x[index % x.count] + standardDeviation * output[index] }
        return result
    }

    public func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor {
        guard input.shape.rank >= 1, input.shape[0] == 1, baseline.shape == input.shape, !alphas.isEmpty else {
            throw GlassboxError.shapeMismatch("interpolation needs one sample (1, …) and a baseline of the same shape, got \(input.shape) and \(baseline.shape)")
        }
        let x = try storage(of: input), x0 = try storage(of: baseline)
        let (result, output) = makeOutput(input.shape.withBatch(alphas.count))
        for (k, alpha) in alphas.enumerated() {
            for i in 0..<x.count { output[k * x.count + i] = x0[i] + alpha * (x[i] - x0[i]) }
        }
        return result
    }

    public func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics {
        guard batch.shape.rank >= 1, batch.shape[0] > 0 else {
            throw GlassboxError.shapeMismatch("sample statistics of an empty batch \(batch.shape)")
        }
        let samples = batch.shape[0], size = batch.shape.stride(of: 0)
        let x = try storage(of: batch)
        let (mean, mu) = makeOutput(batch.shape.withBatch(1))
        let (deviations, m2) = makeOutput(batch.shape.withBatch(1))
        // Welford's update, one sample at a time, per element.
        for n in 0..<samples {
            let weight = 1 / Float(n + 1)
            for i in 0..<size {
                let value = x[n * size + i]
                let delta = value - mu[i]
                mu[i] += delta * weight
                m2[i] += delta * (value - mu[i])
            }
        }
        return SampleStatistics(count: samples, mean: mean, sumOfSquaredDeviations: deviations)
    }
}
