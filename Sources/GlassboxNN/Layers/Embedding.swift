import GlassboxCore

/// A table of token vectors looked up by token id, as PyTorch's `nn.Embedding` (and ONNX
/// `Gather` of a constant table along axis 0 by computed ids).
///
/// The input holds token ids carried as float32 values (exact up to 2²⁴): N×(ids…), a
/// text model's N×T. The output is N×(ids…)×D, the rows of the parameter "weight"
/// (V×D, `vocabularySize`×`dimension`) at the ids. An id must be a whole number in
/// `0 ..< vocabularySize`; any other value reads a row of zeros (`Backend.gatherRows`), so
/// programs validate ids before they run a model.
///
/// The weight starts as draws of N(0, 1), as PyTorch's. `paddingIndex` is PyTorch's
/// `padding_idx`: that row starts at zero and gets no gradient, so training leaves it
/// where it is (the forward pass still reads it, as PyTorch's does).
///
/// Ids are not differentiable: the input gradient is zero. The weight gradient sums the
/// output gradient's rows by id (`Backend.scatterAddRows`), the padding row excepted. The
/// layer has no kind (see `LayerKinds.swift`): LRP and the gradient methods pass it its
/// gradient, so relevance stops at the embedding output, and word-level explanations read
/// the gradient or relevance at this node's output.
public struct Embedding: Layer, Hashable {
    public static let typeName = "embedding"
    /// The number of rows V; ids lie in `0 ..< vocabularySize`.
    public var vocabularySize: Int
    /// The extent D of each token vector.
    public var dimension: Int
    /// The row of the padding id, which starts at zero and gets no gradient (PyTorch's `padding_idx`).
    public var paddingIndex: Int?

    /// A table of `vocabularySize` vectors of `dimension` values; a negative `paddingIndex`
    /// counts from the end, as PyTorch's `padding_idx` does.
    public init(vocabularySize: Int, dimension: Int, paddingIndex: Int? = nil) {
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + vocabularySize : $0 }
    }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec(
                name: "weight", shape: [vocabularySize, dimension],
                initialization: .normal(standardDeviation: 1, zeroRow: paddingIndex))
        ]
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "embedding")
        guard input.rank >= 1 else { throw GlassboxError.shapeMismatch("embedding needs N×(ids…), got \(input)") }
        guard vocabularySize > 0, dimension > 0 else {
            throw GlassboxError.invalidModel(
                "embedding needs a positive vocabulary size and dimension, got \(vocabularySize) and \(dimension)")
        }
        if let paddingIndex, !(0..<vocabularySize).contains(paddingIndex) {
            throw GlassboxError.invalidModel(
                "embedding padding index \(paddingIndex) is outside the vocabulary 0..<\(vocabularySize)")
        }
        return Shape(input.dimensions + [dimension])
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(
            try context.backend.gatherRows(try parameters.required("weight", layer: "embedding"), indices: inputs[0]))
    }

    /// A zero input gradient (ids are not differentiable) and, when asked, the output
    /// gradient's rows summed by id into the weight's shape, zero at the padding row.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, ids = step.inputs[0]
        var gradients = LayerGradients(inputs: [try backend.filled(ids.shape, value: 0)])
        if step.wantsParameterGradients {
            gradients.parameters["weight"] = try backend.scatterAddRows(
                step.gradient, indices: ids, rows: vocabularySize
            ).zeroingRow(paddingIndex)
        }
        return gradients
    }
}

extension Tensor {
    /// This matrix (or any tensor, by its rows along axis 0) with row `row` set to zero;
    /// itself when `row` is nil.
    func zeroingRow(_ row: Int?) throws -> Tensor {
        guard let row else { return self }
        guard (0..<shape[0]).contains(row) else {
            throw GlassboxError.invalidModel("row \(row) to zero lies outside the \(shape[0]) rows of \(shape)")
        }
        var parts = [Tensor]()
        if row > 0 { parts.append(try backend.slice(self, axis: 0, range: 0..<row)) }
        parts.append(try backend.filled(Shape([1] + shape.dimensions.dropFirst()), value: 0))
        if row + 1 < shape[0] { parts.append(try backend.slice(self, axis: 0, range: (row + 1)..<shape[0])) }
        return parts.count == 1 ? parts[0] : try backend.concat(parts, axis: 0)
    }
}
