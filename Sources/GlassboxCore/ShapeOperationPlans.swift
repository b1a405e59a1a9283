/// The shape rules of the reduction, concatenation, slicing, row-indexing and
/// batch-norm operations, validated once and shared by every backend.
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

    /// The shape rules of reading and summing table rows at float-valued indices
    /// (`Backend.gatherRows(_:indices:)`, `Backend.scatterAddRows(_:indices:rows:)`): a table
    /// of V rows of D values, and an index tensor of any shape S whose elements select rows.
    public struct RowIndexing: Sendable, Equatable {
        /// The number of table rows V; an index selects a row when it is an integral value in `0 ..< rows`.
        public let rows: Int
        /// The extent D of each row.
        public let width: Int
        /// The number of indices (the element count of S).
        public let indexCount: Int
        /// The result's shape: S + [D] for a gather, V×D for a scatter.
        public let result: Shape

        /// The gather of the rows of the V×D `table` at `indices` (any shape S): the result is S + [D].
        public init(gathering table: Shape, indices: Shape) throws {
            guard table.rank == 2 else {
                throw GlassboxError.shapeMismatch("gatherRows needs a V×D table, got \(table)")
            }
            rows = table[0]
            width = table[1]
            indexCount = indices.count
            result = Shape(indices.dimensions + [width])
        }

        /// The sum of the rows of `values` (S + [D]) into `rows` rows at `indices` (S): the result is rows×D.
        public init(scattering values: Shape, indices: Shape, rows: Int) throws {
            guard values.rank >= 1, Array(values.dimensions.dropLast()) == indices.dimensions else {
                throw GlassboxError.shapeMismatch(
                    "scatterAddRows needs values of shape \(indices) + (D) for indices \(indices), got \(values)")
            }
            guard rows >= 0, !rows.multipliedReportingOverflow(by: values[-1]).overflow else {
                throw GlassboxError.invalidArgument("scatterAddRows to \(rows) rows of \(values[-1]) values")
            }
            self.rows = rows
            width = values[-1]
            indexCount = indices.count
            result = Shape([rows, width])
        }

        /// The row an index value selects: the value itself when it is integral and in
        /// `0 ..< rows`, else nil (a negative, fractional, too large or non-finite index selects none).
        public func row(at index: Float) -> Int? {
            guard index >= 0, index < Float(Int32.max), index.rounded(.towardZero) == index else { return nil }
            let row = Int(index)
            return row < rows ? row : nil
        }

        /// The index positions grouped by the row they select (a stable counting sort, so each
        /// group keeps index order): row v's positions are `order[starts[v] ..< starts[v + 1]]`,
        /// and positions that select no row are left out.
        public func positionsByRow(_ indices: some Collection<Float>) -> (starts: [Int], order: [Int]) {
            let targets = indices.map(row(at:))
            var starts = [Int](repeating: 0, count: rows + 1)
            for case let row? in targets { starts[row + 1] += 1 }
            for row in 0..<rows { starts[row + 1] += starts[row] }
            var order = [Int](repeating: 0, count: starts[rows]), next = starts
            for (position, row) in targets.enumerated() {
                guard let row else { continue }
                order[next[row]] = position
                next[row] += 1
            }
            return (starts, order)
        }
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
