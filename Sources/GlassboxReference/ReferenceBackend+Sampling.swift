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

    public func maskedBatch(_ input: Tensor, features: Tensor, fill: Tensor, masks: Tensor) throws -> Tensor {
        let shape = try PerturbationPlans.maskedBatchShape(
            input: input.shape, features: features.shape, fill: fill.shape, masks: masks.shape)
        let x = try values(of: input), feature = try values(of: features), rows = try values(of: fill)
        let mask = try values(of: masks), size = x.count, featureCount = masks.shape[1], fillRows = fill.shape[0]
        return tensor(shape) { index in
            let (sample, e) = index.quotientAndRemainder(dividingBy: size)
            let (n, r) = sample.quotientAndRemainder(dividingBy: fillRows)
            let f = feature[e]
            let switchable = f >= 0 && f < Float(featureCount) && f == f.rounded(.down)
            return switchable && mask[n * featureCount + Int(f)] == 0 ? rows[r * size + e] : x[e]
        }
    }

    public func packRows(_ x: Tensor, removing value: Float, padding: Float) throws -> Tensor {
        let length = try PerturbationPlans.packedRowLength(x.shape)
        let elements = try values(of: x)
        var packed = [Float]()
        for start in stride(from: 0, to: elements.count, by: max(length, 1)) {
            let kept = elements[start..<start + length].filter { $0 != value }
            packed += kept + Array(repeating: padding, count: length - kept.count)
        }
        return tensor(packed, x.shape)
    }

    public func riseMasks(
        height: Int, width: Int, cells: Int, probability: Float, stream: RandomStream, samples: Range<Int>
    ) throws -> Tensor {
        let plan = try RISEMaskPlan(
            height: height, width: width, cells: cells, probability: probability, samples: samples)
        return tensor(plan.shape) { index in
            let (n, pixel) = index.quotientAndRemainder(dividingBy: height * width)
            let (y, x) = pixel.quotientAndRemainder(dividingBy: width)
            let first = (samples.lowerBound + n) * plan.drawsPerMask
            func draw(_ k: Int) -> Float { Philox.uniform(stream, index: UInt64(first + k)) }
            func cell(_ row: Int, _ column: Int) -> Float { draw(row * cells + column) < probability ? 1 : 0 }
            let row = plan.tap(
                y + RISEMaskPlan.shift(draw(cells * cells), cellSize: plan.cellHeight),
                upsampledSize: plan.upsampledHeight)
            let column = plan.tap(
                x + RISEMaskPlan.shift(draw(cells * cells + 1), cellSize: plan.cellWidth),
                upsampledSize: plan.upsampledWidth)
            return RISEMaskPlan.interpolate(
                cell(row.low, column.low), cell(row.low, column.high), cell(row.high, column.low),
                cell(row.high, column.high), rowWeight: row.weight, columnWeight: column.weight)
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
