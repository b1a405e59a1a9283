import GlassboxCore

/// Picks entries of a computed value along one axis by constant indices, as ONNX
/// `Gather` with a constant `indices` input: the output has shape
/// `data[..<axis] + indexShape + data[(axis+1)...]`, and its entry at index
/// position p along those axes is the input's entry `indices[p]` along `axis`
/// (`indices` in row-major order of `indexShape`). An empty `indexShape` is one
/// scalar index and drops the axis, as a vision transformer's class-token read
/// `x[:, 0]`.
///
/// `axis` is an axis of the input, counted with axis 0, and at least 1: axis 0 holds
/// the rows (samples times a fixed per-sample multiple), which layers never index.
/// Indices must lie in `0 ..< data[axis]` (the importer normalises ONNX's negative
/// indices first); repeats are allowed.
///
/// The forward pass copies each contiguous ascending run of indices with one
/// `Backend.slice` and joins the runs with `Backend.concat`; the backward pass
/// scatters the gradient back, summing where an index repeats and filling zeros
/// where no index reads. LRP uses the gradient here, which moves each output's
/// relevance to the entry it copies (summed over repeats), unchanged.
public struct Gather: Layer, Hashable {
    public static let typeName = "gather"
    /// The axis indexed (≥ 1; axis 0 holds the rows).
    public var axis: Int
    /// The indices in row-major order of ``indexShape``, each in `0 ..< data[axis]`.
    public var indices: [Int]
    /// The shape of the index tensor, which replaces `axis` in the output (empty for one scalar index).
    public var indexShape: [Int]

    /// Gathers `indices` (in row-major order of `indexShape`, which defaults to one axis
    /// of `indices.count` entries) along `axis`, as ONNX `Gather`.
    public init(axis: Int, indices: [Int], indexShape: [Int]? = nil) {
        self.axis = axis
        self.indices = indices
        self.indexShape = indexShape ?? [indices.count]
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "gather")
        guard axis >= 1, axis < input.rank else {
            throw GlassboxError.invalidModel(
                "gather axis \(axis) must be an axis ≥ 1 of \(input) (axis 0 holds the rows, which are never indexed)")
        }
        guard indexShape.allSatisfy({ $0 >= 1 }), Shape.checkedProduct(indexShape) == indices.count else {
            throw GlassboxError.invalidModel(
                "gather index shape \(indexShape) does not hold the \(indices.count) indices (empty index tensors are not supported)"
            )
        }
        guard !indices.isEmpty else { throw GlassboxError.invalidModel("gather has no indices") }
        if let bad = indices.first(where: { !(0..<input[axis]).contains($0) }) {
            throw GlassboxError.invalidModel(
                "gather index \(bad) is out of range 0..<\(input[axis]) for axis \(axis) of \(input)")
        }
        let dimensions =
            Array(input.dimensions[..<axis]) + indexShape + Array(input.dimensions[(axis + 1)...])
        guard Shape.checkedProduct(dimensions) != nil else {
            throw GlassboxError.shapeMismatch("gather output \(dimensions) has too many elements")
        }
        return Shape(dimensions)
    }

    /// The maximal runs of consecutive ascending indices, as ranges of input positions.
    var runs: [Range<Int>] {
        var runs = [Range<Int>]()
        for index in indices {
            if let last = runs.last, last.upperBound == index {
                runs[runs.count - 1] = last.lowerBound..<(index + 1)
            } else {
                runs.append(index..<(index + 1))
            }
        }
        return runs
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend, input = inputs[0]
        let outputShape = try outputShape(for: [input.shape])
        let pieces = try runs.map { run in
            run.count == input.shape[axis] ? input : try backend.slice(input, axis: axis, range: run)
        }
        let joined = pieces.count == 1 ? pieces[0] : try backend.concat(pieces, axis: axis)
        return LayerOutput(try joined.reshaped(outputShape))
    }

    /// Input position j receives the sum of the gradient at every output position p with
    /// `indices[p] == j`, and zero where no index reads it.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, input = step.inputs[0].shape
        var gatheredDimensions = input.dimensions
        gatheredDimensions[axis] = indices.count
        let gradient = try step.gradient.reshaped(Shape(gatheredDimensions))
        /// The gradient slices that land on input position j, in output order.
        var sources = [[Int]](repeating: [], count: input[axis])
        for (position, index) in indices.enumerated() { sources[index].append(position) }

        /// One piece of the input gradient: zeros, a run of single sources, or a sum over repeats.
        enum Piece {
            case zeros(Int)
            case copy(input: Range<Int>, output: Int)
            case sum([Int])
        }
        var pieces = [Piece]()
        for (position, reads) in sources.enumerated() {
            switch (reads.count, pieces.last) {
            case (0, .zeros(let count)?): pieces[pieces.count - 1] = .zeros(count + 1)
            case (0, _): pieces.append(.zeros(1))
            case (1, .copy(let range, let output)?) where output + range.count == reads[0]:
                pieces[pieces.count - 1] = .copy(input: range.lowerBound..<(position + 1), output: output)
            case (1, _): pieces.append(.copy(input: position..<(position + 1), output: reads[0]))
            default: pieces.append(.sum(reads))
            }
        }
        let tensors = try pieces.map { piece -> Tensor in
            switch piece {
            case .zeros(let count):
                var dimensions = input.dimensions
                dimensions[axis] = count
                return try backend.filled(Shape(dimensions), value: 0)
            case .copy(let range, let output):
                return try backend.slice(gradient, axis: axis, range: output..<(output + range.count))
            case .sum(let reads):
                var total = try backend.slice(gradient, axis: axis, range: reads[0]..<(reads[0] + 1))
                for read in reads.dropFirst() {
                    total = try backend.binary(
                        total, try backend.slice(gradient, axis: axis, range: read..<(read + 1)), .add)
                }
                return total
            }
        }
        return LayerGradients(inputs: [tensors.count == 1 ? tensors[0] : try backend.concat(tensors, axis: axis)])
    }
}

extension Shape {
    /// The product of `dimensions`, or nil when it overflows `Int` or a dimension is negative
    /// (shapes read from a model file must not trap).
    static func checkedProduct(_ dimensions: [Int]) -> Int? {
        guard dimensions.allSatisfy({ $0 >= 0 }) else { return nil }
        return dimensions.reduce(Int?(1)) { product, dimension in
            product.flatMap {
                let (value, overflow) = $0.multipliedReportingOverflow(by: dimension)
                return overflow ? nil : value
            }
        }
    }
}
