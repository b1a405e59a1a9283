/// The shape rules of the reduction, concatenation, slicing and batch-norm
/// operations, validated once and shared by every backend.
public enum ShapeOperationPlans {
    /// The reduced axes (normalised), the shape with them kept as 1, and the result shape.
    public struct Reduction: Sendable {
        public let axes: Set<Int>
        public let kept: Shape
        public let result: Shape
        /// The number of input elements folded into each output element.
        public var reducedCount: Int { kept.count == 0 ? 0 : input.count / kept.count }
        public let input: Shape

        public init(_ input: Shape, axes: [Int], keepDimensions: Bool) throws {
            self.input = input
            self.axes = Set(
                try axes.map { axis in
                    guard (-input.rank..<input.rank).contains(axis) else {
                        throw GlassboxError.invalidArgument("reduction axis \(axis) for shape \(input)")
                    }
                    return input.normalized(axis: axis)
                })
            let reduced = self.axes
            kept = Shape(input.dimensions.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element })
            result =
                keepDimensions
                ? kept : Shape(input.dimensions.enumerated().filter { !reduced.contains($0.offset) }.map(\.element))
        }
    }

    /// The result shape and normalised axis of joining `shapes` along `axis`.
    public static func concatenation(of shapes: [Shape], axis: Int) throws -> (shape: Shape, axis: Int) {
        guard let first = shapes.first else { throw GlassboxError.invalidArgument("concat of no tensors") }
        guard (-first.rank..<first.rank).contains(axis) else {
            throw GlassboxError.invalidArgument("concat axis \(axis) for shape \(first)")
        }
        let axis = first.normalized(axis: axis)
        for shape in shapes {
            var expected = first.dimensions, actual = shape.dimensions
            guard expected.count == actual.count else {
                throw GlassboxError.shapeMismatch("concat of \(first) and \(shape)")
            }
            expected[axis] = 0
            actual[axis] = 0
            guard expected == actual else {
                throw GlassboxError.shapeMismatch("concat of \(first) and \(shape) along axis \(axis)")
            }
        }
        var dimensions = first.dimensions
        dimensions[axis] = shapes.reduce(0) { $0 + $1[axis] }
        return (Shape(dimensions), axis)
    }

    /// The result shape and normalised axis of taking `range` along `axis`.
    public static func slice(of shape: Shape, axis: Int, range: Range<Int>) throws -> (shape: Shape, axis: Int) {
        guard (-shape.rank..<shape.rank).contains(axis) else {
            throw GlassboxError.invalidArgument("slice axis \(axis) for shape \(shape)")
        }
        let axis = shape.normalized(axis: axis)
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw GlassboxError.invalidArgument("slice \(range) out of bounds for axis \(axis) of \(shape)")
        }
        var dimensions = shape.dimensions
        dimensions[axis] = range.count
        return (Shape(dimensions), axis)
    }

    /// The result shape of transposing `shape` by `permutation`, and the input
    /// strides read along each result axis (for a strided gather).
    public static func transpose(of shape: Shape, permutation: [Int]) throws -> (shape: Shape, sourceStrides: [Int]) {
        guard permutation.sorted() == Array(0..<shape.rank) else {
            throw GlassboxError.invalidArgument(
                "permutation \(permutation) does not reorder the \(shape.rank) axes of \(shape)")
        }
        return (Shape(permutation.map { shape[$0] }), permutation.map { shape.stride(of: $0) })
    }

    /// The channel count of a batch norm of `input` after checking that every
    /// per-channel parameter has shape (C).
    public static func batchNormChannels(_ input: Shape, parameters: [Shape]) throws -> Int {
        guard input.rank >= 2 else { throw GlassboxError.shapeMismatch("batch norm needs N×C×…, got \(input)") }
        let channels = input[1]
        for parameter in parameters where parameter != [channels] {
            throw GlassboxError.shapeMismatch("batch-norm parameter \(parameter) for \(channels) channels")
        }
        return channels
    }
}
