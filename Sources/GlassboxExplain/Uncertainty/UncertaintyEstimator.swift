import GlassboxCore
import GlassboxNN

/// A way of drawing stochastic predictions from a model to measure its
/// uncertainty: MC-dropout, Bayesian weight samples, or one deterministic pass.
public protocol UncertaintyEstimator: Sendable {
    /// A short name for summaries ("mc-dropout").
    var name: String { get }
    /// The uncertainty of every sample of `inputs` (N, …).
    func uncertainty(of inputs: Tensor, model: Graph) throws -> [PredictiveUncertainty]
}

extension Graph {
    /// The class probabilities of an N×K output: the output itself when the
    /// model ends in softmax, its exponential after log-softmax, else its softmax.
    public func probabilities(from output: Tensor) throws -> Tensor {
        guard output.shape.rank == 2 else {
            throw GlassboxError.invalidModel("uncertainty needs a model whose output is N×classes, this one gives \(output.shape)")
        }
        if let last = try? node(named: outputName), let softmax = last.layer as? Softmax {
            return softmax.logarithm ? try backend.unary(output, .exp) : output
        }
        return try backend.softmax(output, axis: 1, logarithm: false)
    }
}
