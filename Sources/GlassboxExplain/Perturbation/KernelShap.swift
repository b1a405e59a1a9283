import GlassboxCore
import GlassboxNN

/// KernelSHAP (Lundberg & Lee 2017, "A unified approach to interpreting model predictions", §4.1):
/// Shapley values estimated by a weighted linear regression over coalitions of features, with the
/// Shapley kernel as weights and the efficiency constraint Σφ = f(x) − E f(background) held
/// exactly.
///
/// The coalitions are `shap`'s `KernelExplainer`'s (``KernelShapCoalitions``: complete small and
/// large coalition sizes first, then sizes sampled by the kernel, duplicates merged; the random
/// draws from the Philox stream of ``seed``), and so is the constrained solve (no l1
/// regularisation). Absent features take a baseline (Captum's `KernelShap`) or each row of a
/// background set in turn with the outputs averaged (``Absence/background(_:)``, `shap`'s
/// expectation). Features whose values equal the background's do not vary and get φ = 0, as in
/// `shap`. All coalitions are copies made on the device from one uploaded input and the mask
/// matrix, run in chunks. With ≤ 16 features and the default budget every coalition is
/// enumerated and the values are exact.
public struct KernelShap: FeatureAttributionMethod {
    public var name: String { "kernel-shap" }
    public var features: FeatureSource
    public var absence: Absence
    /// The coalition budget (`shap`'s `nsamples`); nil takes its default 2M + 2048.
    public var samples: Int?
    /// The seed of the coalitions' Philox stream.
    public var seed: UInt64
    /// Which number of the model is explained.
    public var output: ExplainedOutput
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// KernelSHAP over `features` absent as `absence`.
    public init(
        features: FeatureSource, absence: Absence = .baseline(.zero), samples: Int? = nil, seed: UInt64 = 0,
        output: ExplainedOutput = .raw, batchSize: Int? = nil
    ) {
        self.features = features
        self.absence = absence
        self.samples = samples
        self.seed = seed
        self.output = output
        self.batchSize = batchSize
    }

    public func explain(_ input: PerturbedInput, target: Int, model: Graph) throws -> FeatureExplanation {
        let count = input.mask.count
        let pass = TargetPass(model: model, backward: false, batchSize: batchSize, explainedOutput: output)
        let coalitions = try KernelShapCoalitions(
            features: count, varyingFeatures: try input.varyingFeatures(), samples: samples,
            stream: RandomStream(seed: seed))
        let masks = [Float](repeating: 1, count: count) + [Float](repeating: 0, count: count) + coalitions.masks
        let values = try input.values(count: coalitions.count + 2, target: target, pass: pass) { range in
            Array(masks[(range.lowerBound * count)..<(range.upperBound * count)])
        }
        let (prediction, nullValue) = (values[0], values[1])
        return FeatureExplanation(
            values: try coalitions.shapleyValues(
                values: Array(values.dropFirst(2)), prediction: prediction, nullValue: nullValue),
            baseValue: nullValue, prediction: prediction, evaluations: values.count)
    }
}
