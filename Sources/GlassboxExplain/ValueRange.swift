import GlassboxCore

/// The smallest and largest value of a tensor, reduced on its backend (two numbers come back).
struct ValueRange {
    let minimum: Float
    let maximum: Float

    /// `maximum − minimum`.
    var width: Float { maximum - minimum }

    init(of tensor: Tensor) throws {
        let backend = tensor.backend, axes = Array(0..<tensor.shape.rank)
        maximum = try backend.reduce(tensor, axes: axes, .max, keepDimensions: false).toArray()[0]
        minimum =
            -(try backend.reduce(try backend.unary(tensor, .negate), axes: axes, .max, keepDimensions: false).toArray()[
                0])
    }
}
