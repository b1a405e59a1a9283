import GlassboxCore
import GlassboxNN

/// The gradient of the target scores at the input under a set of backward rules,
/// computed in chunks: the core of the gradient methods (``Saliency``,
/// ``InputXGradient``, ``ModifiedReLUGradient``) and what they keep of noisy copies
/// under a ``NoiseTunnel``.
struct InputGradient {
    /// The backward rules (gradient, guided, deconvnet).
    var composite: Composite
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    var batchSize: Int?

    /// The input gradient of every sample of `inputs` toward its target.
    func of(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Tensor {
        try pass(model).joined(inputs, targets: targets) { $0.inputGradient! }
    }

    /// The statistics over the noisy copies `batch` of their gradients (absolute values when `absolute`).
    func statistics(of batch: NoisyBatch, target: Int, model: Graph, absolute: Bool) throws -> SampleStatistics {
        try pass(model).inputGradientStatistics(of: batch, target: target, absolute: absolute)
    }

    private func pass(_ model: Graph) -> TargetPass {
        TargetPass(model: model, composite: composite, batchSize: batchSize)
    }
}
