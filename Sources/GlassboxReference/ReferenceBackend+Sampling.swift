import GlassboxCore

extension ReferenceBackend {
    public func randomUniform(_ shape: Shape, stream: RandomStream) throws -> Tensor {
        tensor(shape) { Philox.uniform(stream, index: UInt64($0)) }
    }

    public func randomNormal(_ shape: Shape, mean: Float, standardDeviation: Float, stream: RandomStream) throws
        -> Tensor
    {
        tensor(shape) { mean + standardDeviation * Philox.normal(stream, index: UInt64($0)) }
    }

    public func dropoutMask(_ shape: Shape, probability: Float, stream: RandomStream) throws -> Tensor {
        let keep = try SamplingPlans.dropoutKeepScale(probability: probability)
        return tensor(shape) { Philox.uniform(stream, index: UInt64($0)) >= probability ? keep : 0 }
    }

    public func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor
    {
        let shape = try SamplingPlans.noisyBatchShape(input: input.shape, count: count)
        let x = try values(of: input)
        return tensor(shape) { x[$0 % x.count] + standardDeviation * Philox.normal(stream, index: UInt64($0)) }
    }

    public func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor {
        let shape = try SamplingPlans.interpolationShape(
            input: input.shape, baseline: baseline.shape, steps: alphas.count)
        let x = try values(of: input), x0 = try values(of: baseline)
        return tensor(shape) { index in
            let (k, i) = index.quotientAndRemainder(dividingBy: x.count)
            return x0[i] + alphas[k] * (x[i] - x0[i])
        }
    }

    public func occlusionBatch(
        _ input: Tensor, window: [Int], strides: [Int], baseline: Float,
        positions: Range<Int>
    ) throws -> Tensor {
        let plan = try OcclusionPlan(input: input.shape, window: window, strides: strides)
        let shape = try plan.batchShape(positions: positions)
        let x = try values(of: input)
        return tensor(shape) { index in
            let coordinates = shape.coordinates(of: index)
            let box = plan.windowRanges(at: positions.lowerBound + coordinates[0])
            let occluded = zip(box, coordinates.dropFirst()).allSatisfy { $0.contains($1) }
            return occluded ? baseline : x[index % x.count]
        }
    }

    /// The two-pass mean and sum of squared deviations over axis 0, in Float64.
    public func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics {
        let shape = try SamplingPlans.statisticsShape(batch: batch.shape)
        let x = try values(of: batch), samples = batch.shape[0], size = shape.count
        let means = (0..<size).map { i in (0..<samples).reduce(0.0) { $0 + Double(x[$1 * size + i]) } / Double(samples)
        }
        let squares = (0..<size).map { i in
            (0..<samples).reduce(0.0) { total, n in
                let deviation = Double(x[n * size + i]) - means[i]
                return total + deviation * deviation
            }
        }
        return SampleStatistics(
            count: samples, mean: tensor(means.map(Float.init), shape),
            sumOfSquaredDeviations: tensor(squares.map(Float.init), shape))
    }
}
