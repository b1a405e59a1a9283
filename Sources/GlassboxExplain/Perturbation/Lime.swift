import GlassboxCore
import GlassboxNN

/// LIME, local interpretable model-agnostic explanations (Ribeiro, Singh & Guestrin 2016, "Why
/// should I trust you?": explaining the predictions of any classifier): the model is run on
/// perturbed copies of the input around it, and a weighted linear model of the interpretable
/// features, fitted to the outputs with weights that fall with the distance from the input,
/// explains the prediction locally.
///
/// As `lime` 0.2.0.1: with ``Sampling/independentMasks`` (`LimeImageExplainer`) each sample
/// switches every feature on with probability ½, with ``Sampling/removalCounts``
/// (`LimeTextExplainer`) each sample switches off a uniformly drawn number 1…F of features; the
/// first sample is the input, all on. The distances are cosine distances of the masks from the
/// first (×100 for words) and the kernel `√exp(−d²/w²)` with width 0.25 for images, 25 for words;
/// with ``Sampling/tabular(_:)`` the samples are drawn from the training distribution by LIME's
/// quartile discretizer, with Euclidean distances and width √F·0.75. The
/// surrogate is `lime`'s (``LocalLinearModel``: feature selection, then ridge regression with α = 1,
/// its weighted R² and its prediction at the input). Given the same samples and outputs the
/// numbers equal `lime`'s; the masks here come from the Philox stream of ``seed`` — independent
/// masks drawn on the device (`Backend.dropoutMask(_:probability:stream:)`), removal counts and
/// table samples on the host — so the same seed gives the same explanation on every backend, and
/// `lime`'s own random masks agree only statistically.
///
/// `lime` explains the probabilities its `classifier_fn` returns; ``output`` chooses between them
/// and the raw output. Captum's `Lime` differs in its defaults (a linear regression on raw
/// outputs, cosine similarity kernel).
public struct Lime: FeatureAttributionMethod {
    /// Where the perturbed samples come from.
    public enum Sampling: Sendable, CustomStringConvertible {
        /// Each feature present with probability ½ (`lime`'s images); absent features as
        /// ``Lime/absence`` says.
        case independentMasks
        /// Sample n ≥ 1 switches off k features, k uniform in 1…F, chosen uniformly (`lime`'s
        /// texts): Philox word n·F gives k = 1 + ⌊w·F/2³²⌋, and the first k of the permutation
        /// (`Philox.permutation(count:stream:)`) of the stream advanced by n·F + 1 the features.
        case removalCounts
        /// A table row: samples drawn from the training statistics of the discretizer.
        case tabular(QuartileDiscretizer)

        /// A short description for summaries.
        public var description: String {
            switch self {
            case .independentMasks: "independent masks"
            case .removalCounts: "removal counts"
            case .tabular(let discretizer): "quartiles of \(discretizer.features) training columns"
            }
        }
    }

    public var name: String { "lime" }
    public var features: FeatureSource
    public var absence: Absence
    /// How the samples are drawn; nil takes ``Sampling/removalCounts`` for words and
    /// ``Sampling/independentMasks`` for other features, as `lime`.
    public var sampling: Sampling?
    /// The number of samples, the input included (`lime`'s `num_samples`).
    public var samples: Int
    /// The proximity kernel; nil takes `lime`'s for the kind of input (see the type's description).
    public var kernel: LimeKernel?
    /// How features are selected for the surrogate.
    public var selection: FeatureSelection
    /// The most features the surrogate keeps (`lime`'s `num_features`); nil keeps every feature
    /// (`lime`'s image default of 100000).
    public var maximumFeatures: Int?
    /// The seed of the masks' (or the table samples') Philox stream.
    public var seed: UInt64
    /// Which number of the model is explained.
    public var output: ExplainedOutput
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// LIME over `features` hidden as `absence`, with `samples` samples.
    public init(
        features: FeatureSource, absence: Absence = .featureMean, sampling: Sampling? = nil, samples: Int = 1000,
        kernel: LimeKernel? = nil, selection: FeatureSelection = .auto, maximumFeatures: Int? = nil, seed: UInt64 = 0,
        output: ExplainedOutput = .probabilities, batchSize: Int? = nil
    ) {
        self.features = features
        self.absence = absence
        self.sampling = sampling
        self.samples = samples
        self.kernel = kernel
        self.selection = selection
        self.maximumFeatures = maximumFeatures
        self.seed = seed
        self.output = output
        self.batchSize = batchSize
    }

    public func explain(_ input: PerturbedInput, target: Int, model: Graph) throws -> FeatureExplanation {
        guard samples > 1 else { throw GlassboxError.invalidArgument("lime needs at least 2 samples, got \(samples)") }
        let count = input.mask.count, backend = input.input.backend
        let pass = TargetPass(model: model, backward: false, batchSize: batchSize, explainedOutput: output)
        let data: [Double], labels: [Double], distances: [Double], kernel: LimeKernel
        var explainsWords = false
        if case .words = features { explainsWords = true }
        let chosen = sampling ?? (explainsWords ? .removalCounts : .independentMasks)
        if case .tabular(let discretizer) = chosen {
            guard input.mask.elementFeatures == Array(0..<count), count == discretizer.features else {
                throw GlassboxError.shapeMismatch(
                    "tabular lime explains rows of \(discretizer.features) features, one per column; the input has \(input.input.count) values"
                )
            }
            let sample = try discretizer.sample(
                instance: try input.input.toArray(), count: samples, stream: RandomStream(seed: seed))
            let rows = try backend.upload(
                sample.values, shape: Shape([samples] + input.input.shape.sampleShape.dimensions))
            labels = try pass.scores(of: rows, targets: Array(repeating: target, count: samples)).map(Double.init)
            (data, distances) = (sample.binary, sample.distances)
            kernel = self.kernel ?? .tabular(features: count)
        } else {
            let stream = RandomStream(seed: seed)
            let masks =
                if case .removalCounts = chosen {
                    try backend.upload(
                        Self.removalCountMasks(samples: samples, features: count, stream: stream),
                        shape: [samples, count])
                } else {
                    try backend.concat(
                        [
                            try backend.filled([1, count], value: 1),
                            try backend.dropoutMask([samples - 1, count], probability: 0.5, stream: stream),
                        ], axis: 0)
                }
            data = try masks.toArray().map { $0 != 0 ? 1 : 0 }
            labels = try input.values(of: masks, target: target, pass: pass)
            kernel = self.kernel ?? (explainsWords ? .text : .image)
            distances = try kernel.distances(data: data, features: count)
        }
        let surrogate = try LocalLinearModel.fit(
            data: data, features: count, labels: labels, weights: kernel.weights(distances: distances),
            selection: selection, maximumFeatures: maximumFeatures ?? count)
        var values = [Double](repeating: 0, count: count)
        for (feature, coefficient) in zip(surrogate.features, surrogate.coefficients) { values[feature] = coefficient }
        return FeatureExplanation(
            values: values, baseValue: surrogate.intercept, prediction: labels[0],
            localPrediction: surrogate.localPrediction, score: surrogate.score, evaluations: samples)
    }

    /// The masks of ``Sampling/removalCounts``: `samples` rows of `features`, row-major, the first all ones.
    static func removalCountMasks(samples: Int, features: Int, stream: RandomStream) -> [Float] {
        var masks = [Float](repeating: 1, count: samples * features)
        for sample in 1..<samples {
            let start = UInt64(sample * features)
            let removed = 1 + Int((UInt64(Philox.bits(stream, index: start)) * UInt64(features)) >> 32)
            for feature in Philox.permutation(count: features, stream: stream.advanced(by: start + 1)).prefix(removed) {
                masks[sample * features + feature] = 0
            }
        }
        return masks
    }
}
