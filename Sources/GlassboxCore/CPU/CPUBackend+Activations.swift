import Foundation

extension CPUBackend {
    public func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor {
        switch kind {
        case .relu: try map(x) { max($0, 0) }
        case .leakyReLU(let slope): try map(x) { $0 > 0 ? $0 : slope * $0 }
        case .sigmoid: try map(x) { 1 / (1 + Foundation.exp(-$0)) }
        case .tanh: try map(x) { Foundation.tanh($0) }
        case .erf: try map(x) { Foundation.erf($0) }
        case .hardSigmoid(let alpha, let beta): try map(x) { Self.unitClamp(alpha * $0 + beta) }
        case .hardSwish: try map(x) { $0 * Self.unitClamp($0 / 6 + 0.5) }
        case .gelu(tanhApproximation: false): try map(x) { v in 0.5 * v * Foundation.erfc(-v * Self.rootHalf) }
        case .gelu(tanhApproximation: true): try map(x) { v in v / (1 + Foundation.exp(-2 * Self.geluTanhArgument(v))) }
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
        case .erf: try zip(gradOutput, input) { g, x in g * Self.twoOverRootPi * Foundation.exp(-x * x) }
        case .hardSigmoid(let alpha, let beta):
            try zip(gradOutput, input) { g, x in
                let y = alpha * x + beta
                return y > 0 && y < 1 ? alpha * g : 0
            }
        case .hardSwish: try zip(gradOutput, input) { g, x in x < -3 ? 0 : x <= 3 ? g * (x / 3 + 0.5) : g }
        case .gelu(tanhApproximation: false):
            try zip(gradOutput, input) { g, x in
                let cdf = 0.5 * Foundation.erfc(-x * Self.rootHalf)
                let density = Self.inverseRootTwoPi * Foundation.exp(-0.5 * x * x)
                return g * (cdf + x * density)
            }
        case .gelu(tanhApproximation: true):
            try zip(gradOutput, input) { g, x in
                let u = Self.geluTanhArgument(x)
                let s = 1 / (1 + Foundation.exp(-2 * u)), spread = s / (1 + Foundation.exp(2 * u))
                return g * (s + (spread == 0 ? 0 : 2 * x * spread * Self.rootTwoOverPi * (1 + 3 * 0.044715 * x * x)))
            }
        }
    }

    /// u = √(2/π)·(x + 0.044715·x³): the tanh GELU is 0.5·x·(1 + tanh u) = x·σ(2u), computed in
    /// the second form, which keeps its digits for negative x. Its derivative is, with s = σ(2u),
    /// s + 2·x·s·(1 − s)·√(2/π)·(1 + 3·0.044715·x²), the second term 0 where s·(1 − s) underflows.
    private static func geluTanhArgument(_ x: Float) -> Float {
        rootTwoOverPi * (x + 0.044715 * x * x * x)
    }

    /// max(0, min(1, v)), with NaN staying NaN.
    private static func unitClamp(_ v: Float) -> Float {
        v <= 0 ? 0 : v >= 1 ? 1 : v
    }

    /// √½, the scale of x in the exact GELU's erfc(−x/√2).
    private static let rootHalf: Float = 0.70710678118654752
    /// √(2/π), the scale of the tanh-approximated GELU.
    private static let rootTwoOverPi: Float = 0.79788456080286536
    /// 1/√(2π), the standard normal density at 0.
    private static let inverseRootTwoPi: Float = 0.39894228040143268
    /// 2/√π, the derivative of erf at 0.
    private static let twoOverRootPi: Float = 1.1283791670955126

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
