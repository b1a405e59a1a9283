import GlassboxCore

/// NumPy broadcasting of computed values that never reaches across axis 0, the
/// rows (samples times a fixed per-sample multiple), shared by the layers that
/// combine several computed values elementwise (``Where``, ``Comparison``).
///
/// Every operand keeps its axis 0, and all operands must agree on its extent. The
/// other axes follow NumPy's rules: an operand of lower rank gets new axes of
/// extent 1 right after axis 0 (its remaining axes align with the trailing axes of
/// the others), and axes of extent 1 repeat to the extent of the others.
enum RowBroadcasting {
    /// The shape with `rank − shape.rank` axes of extent 1 inserted after axis 0.
    static func aligned(_ shape: Shape, rank: Int) -> Shape {
        guard shape.rank < rank else { return shape }
        return Shape([shape[0]] + Array(repeating: 1, count: rank - shape.rank) + shape.sampleShape.dimensions)
    }

    /// The broadcast shape of `shapes`, or a clear error naming `layer`.
    static func shape(of shapes: [Shape], layer: String) throws -> Shape {
        guard let first = shapes.first else { throw GlassboxError.invalidModel("\(layer) takes at least one input") }
        guard shapes.allSatisfy({ $0.rank >= 1 }) else {
            throw GlassboxError.shapeMismatch(
                "\(layer) needs inputs with a row axis, got \(shapes.map(\.description).joined(separator: ", "))")
        }
        guard shapes.allSatisfy({ $0[0] == first[0] }) else {
            throw GlassboxError.shapeMismatch(
                "\(layer) of \(shapes.map(\.description).joined(separator: ", ")) would broadcast along axis 0 (the rows); their axis 0 extents must agree"
            )
        }
        let rank = shapes.map(\.rank).max()!
        var result = aligned(first, rank: rank)
        for shape in shapes.dropFirst() {
            do {
                result = try BroadcastLayout(result, aligned(shape, rank: rank)).shape
            } catch {
                throw GlassboxError.shapeMismatch(
                    "\(layer) inputs \(shapes.map(\.description).joined(separator: ", ")) do not broadcast (axes of lower-rank inputs are aligned after axis 0)"
                )
            }
        }
        return result
    }

    /// `x` reshaped to `rank` axes by ``aligned(_:rank:)``, ready for the backend's NumPy broadcasting.
    static func aligned(_ x: Tensor, rank: Int) throws -> Tensor {
        x.shape.rank < rank ? try x.reshaped(aligned(x.shape, rank: rank)) : x
    }

    /// Sums a gradient of the broadcast shape back to an operand of shape `shape`.
    static func unbroadcast(_ gradient: Tensor, to shape: Shape, backend: any Backend) throws -> Tensor {
        guard gradient.shape != shape else { return gradient }
        let alignedShape = aligned(shape, rank: gradient.shape.rank)
        let axes = (1..<gradient.shape.rank).filter { alignedShape[$0] == 1 && gradient.shape[$0] != 1 }
        guard !axes.isEmpty else { return try gradient.reshaped(shape) }
        return try backend.reduce(gradient, axes: axes, .sum, keepDimensions: true).reshaped(shape)
    }
}
