import GlassboxCore

extension ReferenceBackend {
    /// Sums and means accumulate in Float64; the max of no elements is −∞.
    public func reduce(_ x: Tensor, axes: [Int], _ kind: ReductionKind, keepDimensions: Bool) throws -> Tensor {
        let plan = try ShapeOperationPlans.Reduction(x.shape, axes: axes, keepDimensions: keepDimensions)
        let input = try values(of: x)
        var results = [Double](repeating: kind == .max ? -.infinity : 0, count: plan.kept.count)
        for (index, value) in input.enumerated() {
            var coordinates = x.shape.coordinates(of: index)
            for axis in plan.axes { coordinates[axis] = 0 }
            let target = plan.kept.offset(of: coordinates)
            results[target] = kind == .max ? max(results[target], Double(value)) : results[target] + Double(value)
        }
        let divisor = kind == .mean ? Double(plan.reducedCount) : 1
        return tensor(results.map { Float($0 / divisor) }, plan.result)
    }

    public func broadcast(_ x: Tensor, to shape: Shape) throws -> Tensor {
        guard try BroadcastLayout(x.shape, shape).shape == shape else {
            throw GlassboxError.shapeMismatch("cannot broadcast \(x.shape) to \(shape)")
        }
        let input = try values(of: x)
        return tensor(shape) { index in
            let aligned = shape.coordinates(of: index).suffix(x.shape.rank)
            return input[x.shape.offset(of: zip(aligned, x.shape.dimensions).map { $1 == 1 ? 0 : $0 })]
        }
    }

    public func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        let (shape, axis) = try ShapeOperationPlans.concatenation(of: tensors.map(\.shape), axis: axis)
        let inputs = try tensors.map(values(of:))
        return tensor(shape) { index in
            var coordinates = shape.coordinates(of: index)
            var part = 0
            while coordinates[axis] >= tensors[part].shape[axis] {
                coordinates[axis] -= tensors[part].shape[axis]
                part += 1
            }
            return inputs[part][tensors[part].shape.offset(of: coordinates)]
        }
    }

    public func transpose(_ x: Tensor, permutation: [Int]) throws -> Tensor {
        let (shape, _) = try ShapeOperationPlans.transpose(of: x.shape, permutation: permutation)
        let input = try values(of: x)
        return tensor(shape) { index in
            let coordinates = shape.coordinates(of: index)
            var source = [Int](repeating: 0, count: shape.rank)
            for (axis, sourceAxis) in permutation.enumerated() { source[sourceAxis] = coordinates[axis] }
            return input[x.shape.offset(of: source)]
        }
    }

    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        let (shape, axis) = try ShapeOperationPlans.slice(of: x.shape, axis: axis, range: range)
        let input = try values(of: x)
        return tensor(shape) { index in
            var coordinates = shape.coordinates(of: index)
            coordinates[axis] += range.lowerBound
            return input[x.shape.offset(of: coordinates)]
        }
    }

    /// Output element (p, d) is `table[indices[p], d]`, or 0 when `indices[p]` names no row.
    public func gatherRows(_ table: Tensor, indices: Tensor) throws -> Tensor {
        let plan = try ShapeOperationPlans.RowIndexing(gathering: table.shape, indices: indices.shape)
        let rows = try values(of: table), ids = try values(of: indices)
        return tensor(plan.result) { index in
            let (p, d) = index.quotientAndRemainder(dividingBy: plan.width)
            guard let row = Self.row(named: ids[p], rows: plan.rows) else { return 0 }
            return rows[row * plan.width + d]
        }
    }

    /// Output element (v, d) is the Float64 sum of `values[p, d]` over the positions p
    /// with `indices[p] == v`, taken in index order and rounded once.
    public func scatterAddRows(_ values: Tensor, indices: Tensor, rows: Int) throws -> Tensor {
        let plan = try ShapeOperationPlans.RowIndexing(scattering: values.shape, indices: indices.shape, rows: rows)
        let summands = try self.values(of: values), ids = try self.values(of: indices)
        var sums = [Double](repeating: 0, count: plan.result.count)
        for p in 0..<plan.indexCount {
            guard let row = Self.row(named: ids[p], rows: rows) else { continue }
            for d in 0..<plan.width { sums[row * plan.width + d] += Double(summands[p * plan.width + d]) }
        }
        return tensor(sums.map { Float($0) }, plan.result)
    }

    /// The row an index value names: the value when it is a whole number in `0 ..< rows`.
    private static func row(named index: Float, rows: Int) -> Int? {
        let value = Double(index)
        guard value.isFinite, value == value.rounded(), value >= 0, value < Double(rows) else { return nil }
        return Int(value)
    }

    /// `scale·(x − mean)/√(variance + epsilon) + offset` per channel (axis 1), in Float64.
    public func batchNorm(
        _ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
        epsilon: Float
    ) throws -> Tensor {
        _ = try ShapeOperationPlans.batchNormChannels(
            x.shape, parameters: [mean, variance, scale, offset].map(\.shape))
        let input = try values(of: x), mu = try values(of: mean), sigma2 = try values(of: variance)
        let gamma = try values(of: scale), beta = try values(of: offset)
        return tensor(x.shape) { index in
            let c = x.shape.coordinates(of: index)[1]
            let deviation = (Double(sigma2[c]) + Double(epsilon)).squareRoot()
            return Float(Double(gamma[c]) * (Double(input[index]) - Double(mu[c])) / deviation + Double(beta[c]))
        }
    }
}
