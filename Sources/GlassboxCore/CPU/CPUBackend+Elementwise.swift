import Foundation

extension CPUBackend {
    public func binary(_ a: Tensor, _ b: Tensor, _ operation: BinaryOperation) throws -> Tensor {
        let combine: (Float, Float) -> Float = switch operation {
        case .add: (+)
        case .subtract: (-)
        case .multiply: (*)
        case .divide: (/)
        case .maximum: { Swift.max($0, $1) }
        case .minimum: { Swift.min($0, $1) }
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
        }
    }

    public func affine(_ x: Tensor, scale: Float, shift: Float) throws -> Tensor {
        try map(x) { scale * $0 + shift }
    }

    public func axpy(alpha: Float, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        try zip(x, y) { alpha * $0 + $1 }
    }
}

/// NumPy broadcasting of two shapes: the result shape and, for each output
/// element, the element of each operand it reads.
struct BroadcastLayout {
    let shape: Shape
    private let outputStrides: [Int]
    private let leftStrides: [Int]
    private let rightStrides: [Int]

    init(_ a: Shape, _ b: Shape) throws {
        let rank = max(a.rank, b.rank)
        let left = Array(repeating: 1, count: rank - a.rank) + a.dimensions
        let right = Array(repeating: 1, count: rank - b.rank) + b.dimensions
        var dimensions = [Int]()
        for (l, r) in Swift.zip(left, right) {
            guard l == r || l == 1 || r == 1 else {
                throw GlassboxError.shapeMismatch("shapes \(a) and \(b) do not broadcast")
            }
            dimensions.append(l == 1 ? r : l)
        }
        let shape = Shape(dimensions)
        self.shape = shape
        outputStrides = (0..<rank).map { shape.stride(of: $0) }
        leftStrides = Self.strides(of: left, broadcastTo: dimensions)
        rightStrides = Self.strides(of: right, broadcastTo: dimensions)
    }

    /// Row-major strides, zero along axes that are broadcast.
    static func strides(of dimensions: [Int], broadcastTo target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: dimensions.count)
        var step = 1
        for axis in dimensions.indices.reversed() {
            strides[axis] = dimensions[axis] == target[axis] ? step : 0
            step *= dimensions[axis]
        }
        return strides
    }

    /// The offsets in the left and right operands of output element `index`.
    func sourceOffsets(of index: Int) -> (Int, Int) {
        var remainder = index, left = 0, right = 0
        for axis in outputStrides.indices {
            let coordinate = remainder / outputStrides[axis]
            remainder -= coordinate * outputStrides[axis]
            left += coordinate * leftStrides[axis]
            right += coordinate * rightStrides[axis]
        }
        return (left, right)
    }
}
