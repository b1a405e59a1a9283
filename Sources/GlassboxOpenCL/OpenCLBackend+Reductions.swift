import GlassboxCore

extension OpenCLBackend {
    public func reduce(_ x: Tensor, axes: [Int], _ kind: ReductionKind, keepDimensions: Bool) throws -> Tensor {
        let plan = try ShapeOperationPlans.Reduction(x.shape, axes: axes, keepDimensions: keepDimensions)
        let result = try makeOutput(plan.result)
        let mask = plan.axes.reduce(0) { $0 | 1 << $1 }
        try launch(
            "kernel_reduce", count: result.count, .tensor(x), .tensor(result),
            .int(ReductionKind.allCases.firstIndex(of: kind)!), .int(result.count), .int(x.shape.rank),
            .int8(x.shape.dimensions), .int8((0..<x.shape.rank).map { x.shape.stride(of: $0) }),
            .int(mask), .int(plan.reducedCount))
        return result
    }

    public func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        let (shape, axis) = try ShapeOperationPlans.concatenation(of: tensors.map(\.shape), axis: axis)
        let result = try makeOutput(shape)
        let outputRow = shape.dimensions[axis...].reduce(1, *)
        var column = 0
        for tensor in tensors {
            let row = tensor.shape.dimensions[axis...].reduce(1, *)
            try copyRows(
                from: tensor, offset: 0, rowStride: row, to: result, offset: column, rowStride: outputRow,
                rowLength: row, rows: tensor.count / max(row, 1))
            column += row
        }
        return result
    }

    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        let (shape, axis) = try ShapeOperationPlans.slice(of: x.shape, axis: axis, range: range)
        let result = try makeOutput(shape)
        let inner = x.shape.stride(of: axis)
        try copyRows(
            from: x, offset: range.lowerBound * inner, rowStride: x.shape[axis] * inner, to: result, offset: 0,
            rowStride: range.count * inner, rowLength: range.count * inner,
            rows: shape.dimensions[..<axis].reduce(1, *))
        return result
    }

    public func gatherRows(_ table: Tensor, indices: Tensor) throws -> Tensor {
        let plan = try ShapeOperationPlans.RowIndexing(gathering: table.shape, indices: indices.shape)
        let result = try makeOutput(plan.result)
        try launch(
            "kernel_gather_rows", count: result.count, .tensor(table), .tensor(indices), .tensor(result),
            .int(plan.rows), .int(plan.width), .int(result.count))
        return result
    }

    /// The positions are grouped by row on the host (`positionsByRow`, a counting sort of the
    /// downloaded indices in O(indices + rows)) and uploaded as int32 words; one work item per output
    /// element then sums its row's group in index order, so the result does not depend on
    /// scheduling.
    public func scatterAddRows(_ values: Tensor, indices: Tensor, rows: Int) throws -> Tensor {
        let plan = try ShapeOperationPlans.RowIndexing(scattering: values.shape, indices: indices.shape, rows: rows)
        guard Int32(exactly: plan.indexCount) != nil, Int32(exactly: rows) != nil else {
            throw GlassboxError.invalidArgument(
                "\(plan.indexCount) indices or \(rows) rows exceed the 32-bit sizes of the OpenCL kernels")
        }
        let (starts, order) = plan.positionsByRow(try download(indices))
        let result = try makeOutput(plan.result)
        try launch(
            "kernel_scatter_add_rows", count: result.count, .tensor(values), .tensor(try integerWords(order)),
            .tensor(try integerWords(starts)), .tensor(result), .int(plan.width), .int(result.count))
        return result
    }

    /// A tensor whose words are the int32 values `values`, for a kernel argument `global const int *`.
    private func integerWords(_ values: [Int]) throws -> Tensor {
        try upload(values.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }, shape: [values.count])
    }

    /// Copies `rows` runs of `rowLength` floats between two tensors with their own offsets and row strides.
    private func copyRows(
        from source: Tensor, offset sourceOffset: Int, rowStride sourceRow: Int, to destination: Tensor,
        offset destinationOffset: Int, rowStride destinationRow: Int, rowLength: Int, rows: Int
    ) throws {
        try launch(
            "kernel_copy_rows", count: rows * rowLength, .tensor(source), .int(sourceOffset), .int(sourceRow),
            .tensor(destination), .int(destinationOffset), .int(destinationRow), .int(rowLength), .int(rows * rowLength)
        )
    }

    public func batchNorm(
        _ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
        epsilon: Float
    ) throws -> Tensor {
        let channels = try ShapeOperationPlans.batchNormChannels(
            x.shape, parameters: [mean, variance, scale, offset].map(\.shape))
        let result = try makeOutput(x.shape)
        try launch(
            "kernel_batch_norm", count: x.count, .tensor(x), .tensor(mean), .tensor(variance), .tensor(scale),
            .tensor(offset), .tensor(result), .float(epsilon), .int(channels), .int(x.shape.stride(of: 1)),
            .int(x.count))
        return result
    }
}
