import Foundation

extension ActivationKind {
    /// The nonlinearity at one Float64 value: its definition, which the reference
    /// backend computes and the ONNX importer folds constants with. NaN stays NaN.
    ///
    /// The exact GELU is written 0.5·x·erfc(−x/√2) and the tanh form x·σ(2u), equal to
    /// 0.5·x·(1 + erf(x/√2)) and 0.5·x·(1 + tanh u), so that both keep their digits for negative x.
    public func value(at x: Double) -> Double {
        switch self {
        case .relu: Swift.max(x, 0)
        case .leakyReLU(let slope): x > 0 ? x : Double(slope) * x
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .tanh: Foundation.tanh(x)
        case .erf: Foundation.erf(x)
        case .hardSigmoid(let alpha, let beta): Self.unitClamp(Double(alpha) * x + Double(beta))
        case .hardSwish: x * Self.unitClamp(x / 6 + 0.5)
        case .gelu(let tanhApproximation):
            tanhApproximation
                ? x / (1 + Foundation.exp(-2 * Self.geluTanhArgument(x)))
                : 0.5 * x * Foundation.erfc(-x / 2.0.squareRoot())
        }
    }

    /// √(2/π), the scale of the tanh-approximated GELU.
    public static let geluTanhScale = (2 / Double.pi).squareRoot()

    /// u = √(2/π)·(x + 0.044715·x³), the argument of the tanh-approximated GELU's tanh
    /// (Hendrycks & Gimpel 2016).
    public static func geluTanhArgument(_ x: Double) -> Double {
        geluTanhScale * (x + 0.044715 * x * x * x)
    }

    /// `v` clamped to 0…1, NaN kept.
    static func unitClamp(_ v: Double) -> Double {
        v.isNaN ? v : Swift.max(0, Swift.min(1, v))
    }
}
