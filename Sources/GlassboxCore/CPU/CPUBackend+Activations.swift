import Foundation

extension CPUBackend {
    public func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor {
        switch kind {
        case .relu: try map(x) { max($0, 0) }
        case .leakyReLU(let slope): try map(x) { $0 > 0 ? $0 : slope * $0 }
        case .sigmoid: try map(x) { 1 / (1 + Foundation.exp(-$0)) }
        case .tanh: try map(x) { Foundation.tanh($0) }
        }
    }

    public func activationBackward(_ gradOutput: Tensor, input: Tensor, output: Tensor, kind: ActivationKind) throws
        -> Tensor
    {
        guard gradOutput.shape == input.shape, gradOutput.shape == output.shape else {
            throw GlassboxError.shapeMismatch(
                "activation gradient \(gradOutput.shape) for input \(input.shape) and output \(output.shape)")
        }
        return switch kind {
        case .relu: try reluBackward(gradOutput, input: input, mode: .gradient)
        case .leakyReLU(let slope): try zip(gradOutput, input) { g, x in x > 0 ? g : slope * g }
        case .sigmoid: try zip(gradOutput, output) { g, y in g * y * (1 - y) }
        case .tanh: try zip(gradOutput, output) { g, y in g * (1 - y * y) }
        }
    }

    public func reluBackward(_ gradOutput: Tensor, input: Tensor, mode: ReLUBackwardMode) throws -> Tensor {
        guard gradOutput.shape == input.shape else {
            throw GlassboxError.shapeMismatch("ReLU gradient \(gradOutput.shape) for input \(input.shape)")
        }
        return switch mode {
        case .gradient: try zip(gradOutput, input) { g, x in x > 0 ? g : 0 }
        case .guided: try zip(gradOutput, input) { g, x in x > 0 && g > 0 ? g : 0 }
        case .deconvnet: try map(gradOutput) { max($0, 0) }
        }
    }
}
