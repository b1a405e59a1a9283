extension CPUBackend {
    /// Fills `output` with draws of `stream` (element i is draw i) split over the
    /// cores, then applies `transform` to each chunk: a counter-based generator
    /// needs no sequential state, so every split gives the same numbers.
    private func fill(
        _ output: UnsafeMutableBufferPointer<Float>, stream: RandomStream, normal: Bool,
        _ transform: (Range<Int>) -> Void = { _ in }
    ) {
        // A draw costs tens of operations (Philox rounds, Box–Muller).
        Parallel.forEachChunk(output.count, costPerItem: 64) { range in
            let part = UnsafeMutableBufferPointer(rebasing: output[range])
            // Draw numbers wrap modulo 2⁶⁴, as the stream's own do.
            let shifted = RandomStream(
                seed: stream.seed, stream: stream.stream, offset: stream.offset &+ UInt64(range.lowerBound))
            if normal { Philox.fillNormal(part, stream: shifted) } else { Philox.fillUniform(part, stream: shifted) }
            transform(range)
        }
    }

    public func randomUniform(_ shape: Shape, stream: RandomStream) throws -> Tensor {
        let (result, output) = makeOutput(shape)
        fill(output, stream: stream, normal: false)
        return result
    }

    public func randomNormal(_ shape: Shape, mean: Float, standardDeviation: Float, stream: RandomStream) throws
        -> Tensor
    {
        let (result, output) = makeOutput(shape)
        fill(output, stream: stream, normal: true) { range in
            for index in range { output[index] = mean + standardDeviation * output[index] }
        }
        return result
    }

    public func dropoutMask(_ shape: Shape, probability: Float, stream: RandomStream) throws -> Tensor {
        let keep = try SamplingPlans.dropoutKeepScale(probability: probability)
        let (result, output) = makeOutput(shape)
        fill(output, stream: stream, normal: false) { range in
            for index in range { output[index] = output[index] >= probability ? keep : 0 }
        }
        return result
    }

    public func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor
    {
        let shape = try SamplingPlans.noisyBatchShape(input: input.shape, count: count)
        let x = try storage(of: input)
        let (result, output) = makeOutput(shape)
        fill(output, stream: stream, normal: true) { range in
            for index in range { output[index] = x[index % x.count] + standardDeviation * output[index] }
        }
        return result
    }

    public func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor {
        let shape = try SamplingPlans.interpolationShape(
            input: input.shape, baseline: baseline.shape, steps: alphas.count)
        let x = try storage(of: input), x0 = try storage(of: baseline)
        let (result, output) = makeOutput(shape)
        for (k, alpha) in alphas.enumerated() {
            for i in 0..<x.count { output[k * x.count + i] = x0[i] + alpha * (x[i] - x0[i]) }
        }
        return result
    }

    public func occlusionBatch(
        _ input: Tensor, window: [Int], strides: [Int], baseline: Float,
        positions: Range<Int>
    ) throws -> Tensor {
        let plan = try OcclusionPlan(input: input.shape, window: window, strides: strides)
        let x = try storage(of: input)
        let (result, output) = makeOutput(try plan.batchShape(positions: positions))
        let size = x.count, rank = plan.sampleShape.rank
        let sampleStrides = (0..<rank).map { plan.sampleShape.stride(of: $0) }
        for (n, position) in positions.enumerated() {
            for i in 0..<size { output[n * size + i] = x[i] }
            // Overwrite the window's box, visiting its elements in row-major order.
            let box = plan.windowRanges(at: position)
            for element in 0..<box.reduce(1, { $0 * $1.count }) {
                var remainder = element, offset = n * size
                for axis in (0..<rank).reversed() {
                    offset += (box[axis].lowerBound + remainder % box[axis].count) * sampleStrides[axis]
                    remainder /= box[axis].count
                }
                output[offset] = baseline
            }
        }
        return result
    }

    public func maskedBatch(_ input: Tensor, features: Tensor, fill: Tensor, masks: Tensor) throws -> Tensor {
        let shape = try PerturbationPlans.maskedBatchShape(
            input: input.shape, features: features.shape, fill: fill.shape, masks: masks.shape)
        let x = try storage(of: input), rows = try storage(of: fill), mask = try storage(of: masks)
        let size = x.count, featureCount = masks.shape[1], fillRows = fill.shape[0]
        // Each element's feature number, or -1 for an element that is never switched off.
        let feature = try storage(of: features).map { f in
            f >= 0 && f < Float(featureCount) && f == f.rounded(.down) ? Int(f) : -1
        }
        let (result, output) = makeOutput(shape)
        Parallel.forEachChunk(shape[0], costPerItem: size) { samples in
            for sample in samples {
                let (n, r) = sample.quotientAndRemainder(dividingBy: fillRows)
                let present = mask.baseAddress! + n * featureCount, absent = rows.baseAddress! + r * size
                let out = output.baseAddress! + sample * size
                for e in 0..<size {
                    let f = feature[e]
                    out[e] = f < 0 || present[f] != 0 ? x[e] : absent[e]
                }
            }
        }
        return result
    }

    public func packRows(_ x: Tensor, removing value: Float, padding: Float) throws -> Tensor {
        let length = try PerturbationPlans.packedRowLength(x.shape)
        let input = try storage(of: x)
        let (result, output) = makeOutput(x.shape)
        Parallel.forEachChunk(length == 0 ? 0 : input.count / length, costPerItem: length) { rows in
            for row in rows {
                var next = row * length
                for element in input[row * length..<(row + 1) * length] where element != value {
                    output[next] = element
                    next += 1
                }
                for index in next..<(row + 1) * length { output[index] = padding }
            }
        }
        return result
    }

    public func riseMasks(
        height: Int, width: Int, cells: Int, probability: Float, stream: RandomStream, samples: Range<Int>
    ) throws -> Tensor {
        let plan = try RISEMaskPlan(
            height: height, width: width, cells: cells, probability: probability, samples: samples)
        let draws = plan.drawsPerMask, grid = cells * cells
        // Every mask's draws in one fill, mask n's from n·draws on; then one mask per item.
        var uniforms = [Float](repeating: 0, count: samples.count * draws)
        uniforms.withUnsafeMutableBufferPointer { fill($0, stream: plan.draws(of: stream), normal: false) }
        let (result, output) = makeOutput(plan.shape)
        Parallel.forEachChunk(samples.count, costPerItem: 8 * height * width) { masks in
            var cell = [Float](repeating: 0, count: grid)
            for n in masks {
                let base = n * draws
                for k in 0..<grid { cell[k] = uniforms[base + k] < probability ? 1 : 0 }
                let rowShift = RISEMaskPlan.shift(uniforms[base + grid], cellSize: plan.cellHeight)
                let columnShift = RISEMaskPlan.shift(uniforms[base + grid + 1], cellSize: plan.cellWidth)
                let columns = (0..<width).map { plan.tap($0 + columnShift, upsampledSize: plan.upsampledWidth) }
                for y in 0..<height {
                    let row = plan.tap(y + rowShift, upsampledSize: plan.upsampledHeight)
                    let out = output.baseAddress! + (n * height + y) * width
                    for (x, column) in columns.enumerated() {
                        out[x] = RISEMaskPlan.interpolate(
                            cell[row.low * cells + column.low], cell[row.low * cells + column.high],
                            cell[row.high * cells + column.low], cell[row.high * cells + column.high],
                            rowWeight: row.weight, columnWeight: column.weight)
                    }
                }
            }
        }
        return result
    }

    public func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics {
        let shape = try SamplingPlans.statisticsShape(batch: batch.shape)
        let samples = batch.shape[0], size = batch.shape.stride(of: 0)
        let x = try storage(of: batch)
        let (mean, mu) = makeOutput(shape)
        let (deviations, m2) = makeOutput(shape)
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
