import GlassboxCore
import GlassboxNN

/// Shapley values of the interpretable features (Shapley 1953, "A value for n-person games";
/// Štrumbelj & Kononenko 2014, "Explaining prediction models and individual predictions with
/// feature contributions"): each feature's average marginal contribution to the explained output
/// over the orders in which features join, absent features taking a baseline or, averaged, each row
/// of a background set.
///
/// ``Estimator/exact`` enumerates all 2^M coalitions of M ≤ 20 features (``ExactShapley``) as
/// device batches — the values KernelSHAP and sampling approximate, for checking them.
/// ``Estimator/sampling(permutations:)`` is Captum's `ShapleyValueSampling`: random permutations
/// (Philox, from ``seed``), each adding the features one by one from the baseline; the estimate
/// comes with its standard error, and efficiency holds exactly for every permutation.
public struct ShapleyValues: FeatureAttributionMethod {
    /// How the values are computed.
    public enum Estimator: Sendable, Equatable {
        /// Every coalition (at most 20 features).
        case exact
        /// The mean over random permutations (Captum's `n_samples`).
        case sampling(permutations: Int)
    }

    public var name: String { estimator == .exact ? "shapley-exact" : "shapley-sampling" }
    public var features: FeatureSource
    public var absence: Absence
    /// How the values are computed.
    public var estimator: Estimator
    /// The seed of the permutations' Philox stream.
    public var seed: UInt64
    /// Which number of the model is explained.
    public var output: ExplainedOutput
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// Shapley values of `features` absent as `absence`, by `estimator`.
    public init(
        features: FeatureSource, absence: Absence = .baseline(.zero), estimator: Estimator = .exact,
        seed: UInt64 = 0, output: ExplainedOutput = .raw, batchSize: Int? = nil
    ) {
        self.features = features
        self.absence = absence
        self.estimator = estimator
        self.seed = seed
        self.output = output
        self.batchSize = batchSize
    }

    public func explain(_ input: PerturbedInput, target: Int, model: Graph) throws -> FeatureExplanation {
        let count = input.mask.count
        let pass = TargetPass(model: model, backward: false, batchSize: batchSize, explainedOutput: output)
        switch estimator {
        case .exact:
            let enumeration = try ExactShapley(features: count)
            let values = try input.values(
                count: enumeration.count, target: target, pass: pass, masks: enumeration.masks(coalitions:))
            return FeatureExplanation(
                values: try enumeration.values(coalitionValues: values), baseValue: values[0],
                prediction: values[enumeration.count - 1], evaluations: values.count)
        case .sampling(let permutations):
            let sampling = try ShapleySampling(
                features: count, permutations: permutations, stream: RandomStream(seed: seed))
            let values = try input.values(
                count: sampling.count, target: target, pass: pass, masks: sampling.masks(rows:))
            let estimate = try sampling.estimate(coalitionValues: values)
            return FeatureExplanation(
                values: estimate.values, baseValue: values[0], prediction: values[count],
                standardErrors: estimate.standardErrors, evaluations: values.count)
        }
    }
}
