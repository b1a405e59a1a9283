/// NumPy broadcasting of two shapes: the result shape and, for each output
/// element, the element of each operand it reads.
public struct BroadcastLayout: Sendable {
    /// The broadcast result shape.
    public let shape: Shape
    /// Row-major strides of the result.
    public let outputStrides: [Int]
    /// Strides of the left operand, aligned to the result's axes (zero where broadcast).
    public let leftStrides: [Int]
    /// Strides of the right operand, aligned to the result's axes (zero where broadcast).
    public let rightStrides: [Int]

    /// The layout of `a op b`; throws when the shapes do not broadcast.
    public init(_ a: Shape, _ b: Shape) throws {
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
    public static func strides(of dimensions: [Int], broadcastTo target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: dimensions.count)
        var step = 1
        for axis in dimensions.indices.reversed() {
            strides[axis] = dimensions[axis] == target[axis] ? step : 0
            step *= dimensions[axis]
        }
        return strides
    }

    /// The offsets in the left and right operands of output element `index`.
    public func sourceOffsets(of index: Int) -> (Int, Int) {
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
