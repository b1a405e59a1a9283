import GlassboxCore

extension OpenCLBackend {
    public func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        try checkIndexable(input.shape, plan.outputShape)
        let result = try makeOutput(plan.outputShape)
        try launch(
            "kernel_pool2d", global: [result.count], local: nil,
            [.tensor(input), .tensor(result), .int(result.count), .int(kind.kernelMode)]
                + window.kernelArguments(height: plan.height, width: plan.width))
        return result
    }

    public func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws
        -> Tensor
    {
        try poolBackward(gradOutput, input: input, kind: kind, window: window, gate: nil)
    }

    public func pool2dBackward(
        _ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D,
        through gate: ReLUBackwardGate
    ) throws -> Tensor {
        try gate.check(input.shape)
        return try poolBackward(gradOutput, input: input, kind: kind, window: window, gate: gate)
    }

    /// `kernel_pool2d_backward`, through the ReLU `gate` when there is one.
    private func poolBackward(
        _ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D,
        gate: ReLUBackwardGate?
    ) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        try plan.checkGradient(gradOutput.shape)
        try checkIndexable(input.shape, plan.outputShape)
        let result = try makeOutput(input.shape)
        try launch(
            "kernel_pool2d_backward", global: [result.count], local: nil,
            [.tensor(gradOutput), .tensor(input), .tensor(result), .int(result.count), .int(kind.kernelMode)]
                + gateArguments(gate, absent: result)
                + window.kernelArguments(height: plan.height, width: plan.width))
        return result
    }
}

extension PoolingKind {
    /// The `mode` argument of the pooling kernels (`Kernels/pooling.cl`).
    var kernelMode: Int {
        switch self {
        case .max: 0
        case .average(let countIncludePadding): countIncludePadding ? 2 : 1
        }
    }
}
