import GlassboxCore
import GlassboxNN

/// T stochastic forward passes of each input as samples of its predictive
/// distribution, drawn either from the model's dropout layers — MC-dropout (Gal
/// & Ghahramani 2016, "Dropout as a Bayesian approximation: representing model
/// uncertainty in deep learning") — or from the weight posteriors of its
/// `BayesianLayer`s (Blundell et al. 2015, "Weight uncertainty in neural
/// networks"), whose local reparameterisation gives every copy its own weights.
///
/// The T copies of an input run as one device batch (chunked to ``MemoryBudget``),
/// and every mask and weight noise is drawn on the device from the shared
/// Philox generator: input n uses stream n·2¹⁶ of `seed`, pass t its sample
/// offset t, so chunking does not change the draws and every backend draws the
/// same ones. A stochastic pass samples dropout and Bayesian layers alike.
public struct MonteCarloSampling: UncertaintyEstimator {
    /// Where the randomness comes from.
    public enum Source: String, Sendable, CaseIterable {
        /// The model's dropout layers (MC-dropout).
        case dropout = "mc-dropout"
        /// The model's Bayesian layers' weight posteriors.
        case weights = "bayes"
    }

    public var name: String { source.rawValue }
    public var source: Source
    /// The number of stochastic passes T per input.
    public var samples: Int
    public var seed: UInt64
    /// The most passes per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    public init(_ source: Source, samples: Int = 100, seed: UInt64 = 0, batchSize: Int? = nil) {
        self.source = source
        self.samples = samples
        self.seed = seed
        self.batchSize = batchSize
    }

    public func uncertainty(of inputs: Tensor, model: Graph) throws -> [PredictiveUncertainty] {
        guard samples > 0 else {
            throw GlassboxError.invalidArgument("\(name) needs at least one sample, got \(samples)")
        }
        switch source {
        case .dropout:
            guard model.nodes.contains(where: { $0.layer is Dropout }) else {
                throw GlassboxError.invalidModel(
                    "the model has no dropout layer, so MC-dropout would repeat one deterministic prediction; train with dropout, or export the ONNX model with its Dropout nodes kept"
                )
            }
        case .weights:
            guard model.nodes.contains(where: { $0.layer is any BayesianLayer }) else {
                throw GlassboxError.invalidModel(
                    "the model has no Bayesian layer to sample weights from; train one with --arch bayes-cnn or bayes-mlp"
                )
            }
        }
        let backend = inputs.backend, sampleShape = inputs.shape.sampleShape
        let chunks = SampleChunks(model: model, backward: false, batchSize: batchSize)
        return try (0..<inputs.shape[0]).map { n in
            let input = try backend.slice(inputs, axis: 0, range: n..<(n + 1))
            let stream = RandomStream(seed: seed, stream: UInt32(truncatingIfNeeded: n) << 16)
            var probabilities = [Float]()
            try chunks.forEach(total: samples) { range in
                let copies = try backend.broadcast(input, to: Shape([range.count] + sampleShape.dimensions))
                let output = try model.forward(
                    copies, mode: .stochastic, randomStream: stream, sampleOffset: range.lowerBound
                ).output
                probabilities += try model.probabilities(from: output).toArray()
            }
            return PredictiveUncertainty(samples: probabilities[...], classes: probabilities.count / samples)
        }
    }
}
