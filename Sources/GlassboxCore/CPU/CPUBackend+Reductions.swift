extension CPUBackend {
    /// Sums accumulate in Float64 per output element, so long reductions stay accurate.
    public func reduce(_ x: Tensor, axes: [Int], _ kind: ReductionKind, keepDimensions: Bool) throws -> Tensor {
        let plan = try ShapeOperationPlans.Reduction(x.shape, axes: axes, keepDimensions: keepDimensions)
        let kept = plan.kept
        let input = try storage(of: x)
        let targetStrides = BroadcastLayout.strides(of: kept.dimensions, broadcastTo: x.shape.dimensions)
        let sourceStrides = (0..<x.shape.rank).map { x.shape.stride(of: $0) }
        var accumulators = [Double](repeating: kind == .max ? -.infinity : 0, count: kept.count)
        for index in 0..<input.count {
            var remainder = index, target = 0
            for axis in sourceStrides.indices {
                let coordinate = remainder / sourceStrides[axis]
                remainder -= coordinate * sourceStrides[axis]
                target += coordinate * targetStrides[axis]
            }
            let value = Double(input[index])
            accumulators[target] = kind == .max ? max(accumulators[target], value) : accumulators[target] + value
        }
        let divisor = kind == .mean ? Double(x.shape.count / max(kept.count, 1)) : 1
        return try upload(accumulators.map { Float($0 / divisor) }, shape: plan.result)
    }

    public func broadcast(_ x: Tensor, to shape: Shape) throws -> Tensor {
        let layout = try BroadcastLayout(x.shape, shape)
        guard layout.shape == shape else {
            throw GlassboxError.shapeMismatch("cannot broadcast \(x.shape) to \(shape)")
        }
        let input = try storage(of: x)
        let (result, output) = makeOutput(shape)
        for index in 0..<output.count { output[index] = input[layout.sourceOffsets(of: index).0] }
        return result
    }

    public func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        let (shape, axis) = try ShapeOperationPlans.concatenation(of: tensors.map(\.shape), axis: axis)
        let dimensions = shape.dimensions
        let (result, output) = makeOutput(Shape(dimensions))
        let outer = dimensions[..<axis].reduce(1, *), outputRow = dimensions[axis...].reduce(1, *)
        var column = 0
        for tensor in tensors {
            let input = try storage(of: tensor)
            let row = tensor.shape.dimensions[axis...].reduce(1, *)
            for o in 0..<outer {
                for i in 0..<row { output[o * outputRow + column + i] = input[o * row + i] }
            }
            column += row
        }
        return result
    }

    public func transpose(_ x: Tensor, permutation: [Int]) throws -> Tensor {
        let (shape, sourceStrides) = try ShapeOperationPlans.transpose(of: x.shape, permutation: permutation)
        let input = try storage(of: x)
        let (result, output) = makeOutput(shape)
        let outputStrides = (0..<shape.rank).map { shape.stride(of: $0) }
        for index in 0..<output.count {
            var remainder = index, source = 0
            for axis in outputStrides.indices {
                let coordinate = remainder / outputStrides[axis]
                remainder -= coordinate * outputStrides[axis]
                source += coordinate * sourceStrides[axis]
            }
            output[index] = input[source]
        }
        return result
    }

    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        let (shape, axis) = try ShapeOperationPlans.slice(of: x.shape, axis: axis, range: range)
        let dimensions = shape.dimensions
        let input = try storage(of: x)
        let (result, output) = makeOutput(Shape(dimensions))
        let outer = dimensions[..<axis].reduce(1, *), inner = x.shape.stride(of: axis)
        for o in 0..<outer {
            let source = (o * x.shape[axis] + range.lowerBound) * inner
            for i in 0..<(range.count * inner) { output[o * range.count * inner + i] = input[source + i] }
        }
        return result
    }

    /// One row copy per index position, the positions split over the cores (the output
    /// starts zeroed, so a position that names no row is left as it is).
    public func gatherRows(_ table: Tensor, indices: Tensor) throws -> Tensor {
        let plan = try ShapeOperationPlans.RowIndexing(gathering: table.shape, indices: indices.shape)
        let rows = try storage(of: table), ids = try storage(of: indices), width = plan.width
        let (result, output) = makeOutput(plan.result)
        Parallel.forEachChunk(plan.indexCount, costPerItem: width) { positions in
            for p in positions {
                guard let row = plan.row(at: ids[p]) else { continue }
                for d in 0..<width { output[p * width + d] = rows[row * width + d] }
            }
        }
        return result
    }

    /// The positions are grouped by row first (`positionsByRow`, each group in index order);
    /// then each row sums its group in Float64, the rows split over the cores.
    public func scatterAddRows(_ values: Tensor, indices: Tensor, rows: Int) throws -> Tensor {
        let plan = try ShapeOperationPlans.RowIndexing(scattering: values.shape, indices: indices.shape, rows: rows)
        let summands = try storage(of: values), ids = try storage(of: indices), width = plan.width
        let (starts, order) = plan.positionsByRow(ids)
        let (result, output) = makeOutput(plan.result)
        Parallel.forEachChunk(rows, costPerItem: width * max(1, order.count / max(rows, 1))) { rowRange in
            var sums = [Double](repeating: 0, count: width)
            for row in rowRange {
                for d in 0..<width { sums[d] = 0 }
                for p in order[starts[row]..<starts[row + 1]] {
                    for d in 0..<width { sums[d] += Double(summands[p * width + d]) }
                }
                for d in 0..<width { output[row * width + d] = Float(sums[d]) }
            }
        }
        return result
    }

    public func batchNorm(
        _ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
        epsilon: Float
    ) throws -> Tensor {
        let channels = try ShapeOperationPlans.batchNormChannels(
            x.shape, parameters: [mean, variance, scale, offset].map(\.shape))
        let mu = try storage(of: mean), sigma2 = try storage(of: variance)
        let gamma = try storage(of: scale), beta = try storage(of: offset)
        let inner = x.shape.stride(of: 1)
        let input = try storage(of: x)
        let (result, output) = makeOutput(x.shape)
        let deviations = (0..<channels).map { (sigma2[$0] + epsilon).squareRoot() }
        // One plane (sample × channel) at a time, the planes split over the cores.
        Parallel.forEachChunk(input.count / max(inner, 1), costPerItem: inner) { planes in
            for plane in planes {
                let c = plane % channels, base = plane * inner
                let (g, m, d, b) = (gamma[c], mu[c], deviations[c], beta[c])
                for index in base..<(base + inner) { output[index] = g * (input[index] - m) / d + b }
            }
        }
        return result
    }
}
