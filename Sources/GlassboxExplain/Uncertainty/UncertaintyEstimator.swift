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
