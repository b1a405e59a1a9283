import Foundation

extension UnaryOperation {
    /// The operation at one Float64 value: its definition, which the reference
    /// backend computes and the ONNX importer folds constants with. `sign` keeps NaN.
    public func value(at x: Double) -> Double {
        switch self {
        case .negate: -x
        case .abs: Swift.abs(x)
        case .square: x * x
        case .sqrt: x.squareRoot()
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .reciprocal: 1 / x
        case .positiveIndicator: x > 0 ? 1 : 0
        case .positivePart: Swift.max(x, 0)
        case .negativePart: Swift.min(x, 0)
        case .sign: x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x
        }
    }
}
