import GlassboxCore

extension Graph {
    /// The class probabilities of an N×K output of this graph: the output itself
    /// when the graph ends in softmax, its exponential after log-softmax, else its
    /// softmax (the output is logits).
    public func probabilities(from output: Tensor) throws -> Tensor {
        guard output.shape.rank == 2 else {
            throw GlassboxError.invalidModel(
                "class probabilities need a model whose output is N×classes, this one gives \(output.shape)")
        }
        if let last = try? node(named: outputName), let softmax = last.layer as? Softmax {
            return softmax.logarithm ? try backend.unary(output, .exp) : output
        }
        return try backend.softmax(output, axis: 1, logarithm: false)
    }
}
