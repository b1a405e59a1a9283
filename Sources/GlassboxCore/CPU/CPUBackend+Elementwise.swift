import Foundation

extension CPUBackend {
    public func binary(_ a: Tensor, _ b: Tensor, _ operation: BinaryOperation) throws -> Tensor {
        let combine: (Float, Float) -> Float =
            switch operation {
            case .add: (+)
            case .subtract: (-)
            case .multiply: (*)
            case .divide: (/)
            case .maximum: { Swift.max($0, $1) }
            case .minimum: { Swift.min($0, $1) }
            case .power: { Foundation.pow($0, $1) }
            case .equal: { $0 == $1 ? 1 : 0 }
            }
        if a.shape == b.shape { return try zip(a, b, combine) }
        let layout = try BroadcastLayout(a.shape, b.shape)
        let left = try storage(of: a), right = try storage(of: b)
        let (result, output) = makeOutput(layout.shape)
        for index in 0..<output.count {
            let (i, j) = layout.sourceOffsets(of: index)
            output[index] = combine(left[i], right[j])
        }
        return result
    }

    public func unary(_ x: Tensor, _ operation: UnaryOperation) throws -> Tensor {
        switch operation {
        case .negate: try map(x) { -$0 }
        case .abs: try map(x) { Swift.abs($0) }
        case .square: try map(x) { $0 * $0 }
        case .sqrt: try map(x) { $0.squareRoot() }
        case .exp: try map(x) { Foundation.exp($0) }
        case .log: try map(x) { Foundation.log($0) }
        case .reciprocal: try map(x) { 1 / $0 }
        case .positiveIndicator: try map(x) { $0 > 0 ? 1 : 0 }
        case .positivePart: try map(x) { Swift.max($0, 0) }
        case .negativePart: try map(x) { Swift.min($0, 0) }
        case .sign: try map(x) { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 == 0 ? 0 : $0 }
        }
    }

    public func affine(_ x: Tensor, scale: Float, shift: Float) throws -> Tensor {
        try map(x) { scale * $0 + shift }
    }

    public func axpy(alpha: Float, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        try zip(x, y) { alpha * $0 + $1 }
    }

    public func stabilizedDivide(_ numerator: Tensor, _ denominator: Tensor, epsilon: Float) throws -> Tensor {
        try zip(numerator, denominator) { n, d in
            let stabilized = d + (d >= 0 ? epsilon : -epsilon)
            return stabilized == 0 ? 0 : n / stabilized
        }
    }
}
