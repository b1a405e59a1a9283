import GlassboxCore
import GlassboxNN

/// One inference pass per input: the baseline every stochastic estimator is
/// compared with. Its epistemic part is 0 by construction; its total entropy is
/// the entropy of the softmax.
public struct DeterministicPrediction: UncertaintyEstimator {
    public var name: String { "deterministic" }

    public init() {}

    public func uncertainty(of inputs: Tensor, model: Graph) throws -> [PredictiveUncertainty] {
        var result = [PredictiveUncertainty]()
        try SampleChunks(model: model, backward: false, batchSize: nil).forEach(total: inputs.shape[0]) { range in
            let batch = try inputs.backend.slice(inputs, axis: 0, range: range)
            let probabilities = try model.probabilities(from: try model.predict(batch)).toArray()
            let classes = probabilities.count / range.count
            result += (0..<range.count).map {
                PredictiveUncertainty(samples: probabilities[($0 * classes)..<(($0 + 1) * classes)], classes: classes)
            }
        }
        return result
    }
}
