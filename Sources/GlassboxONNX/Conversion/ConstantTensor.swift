import GlassboxCore

/// A value known while importing (an initializer, a `Constant`, or the result
/// of folding a computation on such values, shape computations included), kept
/// in Float64 so int64 shape values stay exact.
struct ConstantTensor {
    var shape: [Int]
    var values: [Double]
    /// Whether the ONNX element type is an integer or boolean one (integer
    /// division truncates, casts round).
    var integral: Bool

    init(shape: [Int], values: [Double], integral: Bool = false) {
        self.shape = shape
        self.values = values
        self.integral = integral
    }

    init(shape: [Int], floats: [Float]) {
        self.init(shape: shape, values: floats.map(Double.init))
    }

    /// A rank-1 constant of integers.
    init(integers: [Int]) {
        self.init(shape: [integers.count], values: integers.map(Double.init), integral: true)
    }

    var count: Int { values.count }
    var floats: [Float] { values.map(Float.init) }
    var glassboxShape: Shape { Shape(shape) }

    /// The values as integers; fails on fractions and non-finite values.
    func integers(_ context: @autoclosure () -> String) throws -> [Int] {
        try values.map { value in
            guard value == value.rounded(), abs(value) < 0x1p53 else {
                throw GlassboxError.invalidModel("\(context()) needs integers, got \(value)")
            }
            return Int(value)
        }
    }

    /// The single value of a scalar or one-element constant.
    func scalar(_ context: @autoclosure () -> String) throws -> Double {
        guard values.count == 1 else {
            throw GlassboxError.invalidModel("\(context()) must be a single value, got shape \(shape)")
        }
        return values[0]
    }

    /// The row-major strides of `shape`.
    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropLast().reversed() { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        return strides
    }

    /// The constant with values gathered by `source`, which maps each row-major
    /// index of the result's `shape` (as coordinates) to an index into `values`.
    func rearranged(to shape: [Int], _ source: ([Int]) -> Int) -> ConstantTensor {
        let count = shape.reduce(1, *)
        var coordinates = [Int](repeating: 0, count: shape.count)
        var result = [Double]()
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(values[source(coordinates)])
            var axis = shape.count - 1
            while axis >= 0 {
                coordinates[axis] += 1
                if coordinates[axis] < shape[axis] { break }
                coordinates[axis] = 0
                axis -= 1
            }
        }
        return ConstantTensor(shape: shape, values: result, integral: integral)
    }

    /// The constant with its axes permuted: axis i of the result is axis `permutation[i]`.
    func transposed(_ permutation: [Int]) -> ConstantTensor {
        let strides = Self.strides(of: shape)
        return rearranged(to: permutation.map { shape[$0] }) { coordinates in
            zip(coordinates, permutation).reduce(0) { $0 + $1.0 * strides[$1.1] }
        }
    }

    /// The constant repeated along its axes of extent 1 (NumPy broadcasting) to `target`.
    func broadcast(to target: [Int]) throws -> ConstantTensor {
        let layout = try BroadcastLayout(glassboxShape, Shape(target))
        guard layout.shape.dimensions == target else {
            throw GlassboxError.invalidModel("a constant of shape \(shape) does not broadcast to \(target)")
        }
        return ConstantTensor(
            shape: target, values: (0..<layout.shape.count).map { values[layout.sourceOffsets(of: $0).0] },
            integral: integral)
    }
}
