import GlassboxCore

/// A value known while importing (an initializer, a `Constant`, or the result
/// of folding a shape computation), kept in Float64 so int64 shape values
/// stay exact.
struct ConstantTensor {
    /// Stands for the batch size wherever a folded `Shape` of the graph input
    /// flows: Reshape reads it as "keep the batch axis".
    static let batchMarker: Double = -0x1p50

    var shape: [Int]
    var values: [Double]

    init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    init(shape: [Int], floats: [Float]) {
        self.init(shape: shape, values: floats.map(Double.init))
    }

    /// A rank-1 constant of integers.
    init(integers: [Int]) {
        self.init(shape: [integers.count], values: integers.map(Double.init))
    }

    var count: Int { values.count }
    var floats: [Float] { values.map(Float.init) }
    var glassboxShape: Shape { Shape(shape) }

    /// The values as integers; fails on fractions, and on the batch marker unless allowed.
    func integers(_ context: @autoclosure () -> String, allowBatch: Bool = false) throws -> [Int] {
        try values.map { value in
            if value == Self.batchMarker {
                guard allowBatch else {
                    throw GlassboxError.invalidModel(
                        "\(context()) uses the batch size in arithmetic, which the importer cannot fold")
                }
                return Int(value)
            }
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
}
