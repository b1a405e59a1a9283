import GlassboxCore

extension OpenCLBackend {
    /// The `kind, alpha, beta` arguments of `kernel_activation` and `kernel_activation_backward`
    /// (`Kernels/activation.cl`): the activation's code and its parameters (0 where it has none).
    private func code(of kind: ActivationKind) -> (code: Int, alpha: Float, beta: Float) {
        switch kind {
        case .relu: (0, 0, 0)
        case .leakyReLU(let slope): (1, slope, 0)
        case .sigmoid: (2, 0, 0)
        case .tanh: (3, 0, 0)
        case .erf: (4, 0, 0)
        case .hardSigmoid(let alpha, let beta): (5, alpha, beta)
        case .hardSwish: (6, 0, 0)
        case .gelu(tanhApproximation: false): (7, 0, 0)
        case .gelu(tanhApproximation: true): (8, 0, 0)
        }
    }

    public func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor {
        let (code, alpha, beta) = code(of: kind)
        let result = try makeOutput(x.shape)
        try launch(
            "kernel_activation", count: x.count, .tensor(x), .tensor(result), .int(code), .float(alpha), .float(beta),
            .int(x.count))
        return result
    }

    public func activationBackward(_ gradOutput: Tensor, input: Tensor, output: Tensor, kind: ActivationKind) throws
        -> Tensor
    {
        guard gradOutput.shape == input.shape, gradOutput.shape == output.shape else {
            throw GlassboxError.shapeMismatch(
                "activation gradient \(gradOutput.shape) for input \(input.shape) and output \(output.shape)")
        }
        let (code, alpha, beta) = code(of: kind)
        let result = try makeOutput(input.shape)
        try launch(
            "kernel_activation_backward", count: input.count, .tensor(gradOutput), .tensor(input), .tensor(output),
            .tensor(result), .int(code), .float(alpha), .float(beta), .int(input.count))
        return result
    }

    public func reluBackward(_ gradOutput: Tensor, input: Tensor, mode: ReLUBackwardMode) throws -> Tensor {
        guard gradOutput.shape == input.shape else {
            throw GlassboxError.shapeMismatch("ReLU gradient \(gradOutput.shape) for input \(input.shape)")
        }
        let result = try makeOutput(input.shape)
        try launch(
            "kernel_relu_backward", count: input.count, .tensor(gradOutput), .tensor(input), .tensor(result),
            .int(mode.kernelMode), .int(input.count))
        return result
    }
}

extension ReLUBackwardMode {
    /// The `mode` argument of `relu_gate` (`Kernels/common.cl`).
    var kernelMode: Int {
        switch self {
        case .gradient: 0
        case .guided: 1
        case .deconvnet: 2
        }
    }
}

extension OpenCLBackend {
    /// The `gate, gateMode` arguments of the kernels that may fuse a ReLU's backward pass:
    /// the gate's input and mode, or `absent` (a buffer the kernel then does not read) and -1.
    func gateArguments(_ gate: ReLUBackwardGate?, absent: Tensor) -> [Argument] {
        guard let gate else { return [.tensor(absent), .int(-1)] }
        return [.tensor(gate.input), .int(gate.mode.kernelMode)]
    }
}
