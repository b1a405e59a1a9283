import GlassboxCore

extension OpenCLBackend {
    public func binary(_ a: Tensor, _ b: Tensor, _ operation: BinaryOperation) throws -> Tensor {
        let code = BinaryOperation.allCases.firstIndex(of: operation)!
        if a.shape == b.shape {
            let result = try makeOutput(a.shape)
            try launch(
                "kernel_binary", count: result.count, .tensor(a), .tensor(b), .tensor(result), .int(code),
                .int(result.count))
            return result
        }
        let layout = try BroadcastLayout(a.shape, b.shape)
        let result = try makeOutput(layout.shape)
        try launch(
            "kernel_binary_broadcast", count: result.count, .tensor(a), .tensor(b), .tensor(result), .int(code),
            .int(result.count), .int(layout.shape.rank), .int8(layout.outputStrides), .int8(layout.leftStrides),
            .int8(layout.rightStrides))
        return result
    }

    public func broadcast(_ x: Tensor, to shape: Shape) throws -> Tensor {
        let layout = try BroadcastLayout(x.shape, shape)
        guard layout.shape == shape else {
            throw GlassboxError.shapeMismatch("cannot broadcast \(x.shape) to \(shape)")
        }
        let result = try makeOutput(shape)
        try launch(
            "kernel_broadcast", count: result.count, .tensor(x), .tensor(result), .int(result.count),
            .int(shape.rank), .int8(layout.outputStrides), .int8(layout.leftStrides))
        return result
    }

    /// A strided gather through `kernel_broadcast`: result axis i reads input axis `permutation[i]`.
    public func transpose(_ x: Tensor, permutation: [Int]) throws -> Tensor {
        let (shape, sourceStrides) = try ShapeOperationPlans.transpose(of: x.shape, permutation: permutation)
        let result = try makeOutput(shape)
        try launch(
            "kernel_broadcast", count: result.count, .tensor(x), .tensor(result), .int(result.count),
            .int(shape.rank), .int8((0..<shape.rank).map { shape.stride(of: $0) }), .int8(sourceStrides))
        return result
    }

    public func unary(_ x: Tensor, _ operation: UnaryOperation) throws -> Tensor {
        let result = try makeOutput(x.shape)
        try launch(
            "kernel_unary", count: x.count, .tensor(x), .tensor(result),
            .int(UnaryOperation.allCases.firstIndex(of: operation)!), .int(x.count))
        return result
    }

    public func affine(_ x: Tensor, scale: Float, shift: Float) throws -> Tensor {
        let result = try makeOutput(x.shape)
        try launch(
            "kernel_affine", count: x.count, .tensor(x), .tensor(result), .float(scale), .float(shift), .int(x.count))
        return result
    }

    public func axpy(alpha: Float, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        guard x.shape == y.shape else {
            throw GlassboxError.shapeMismatch("elementwise operation on \(x.shape) and \(y.shape)")
        }
        let result = try makeOutput(x.shape)
        try launch("kernel_axpy", count: x.count, .tensor(x), .tensor(y), .tensor(result), .float(alpha), .int(x.count))
        return result
    }

    public func stabilizedDivide(_ numerator: Tensor, _ denominator: Tensor, epsilon: Float) throws -> Tensor {
        guard numerator.shape == denominator.shape else {
            throw GlassboxError.shapeMismatch("elementwise operation on \(numerator.shape) and \(denominator.shape)")
        }
        let result = try makeOutput(numerator.shape)
        try launch(
            "kernel_stabilized_divide", count: result.count, .tensor(numerator), .tensor(denominator), .tensor(result),
            .float(epsilon), .int(result.count))
        return result
    }

    public func addBias(_ x: Tensor, _ bias: Tensor) throws -> Tensor {
        guard x.shape.rank >= 2, bias.shape == [x.shape[1]] else {
            throw GlassboxError.shapeMismatch("bias \(bias.shape) does not match axis 1 of \(x.shape)")
        }
        let result = try makeOutput(x.shape)
        try launch(
            "kernel_add_bias", count: x.count, .tensor(x), .tensor(bias), .tensor(result), .int(x.shape[1]),
            .int(x.shape.stride(of: 1)), .int(x.count))
        return result
    }
}
