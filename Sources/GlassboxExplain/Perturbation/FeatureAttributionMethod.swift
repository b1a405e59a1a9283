import GlassboxCore
import GlassboxNN

/// A perturbation method that explains a prediction by interpretable features — LIME, KernelSHAP,
/// exact and sampled Shapley values — treating the model as a black box: it only runs the model on
/// copies of the input whose absent features are replaced (``Absence``), made on the device.
///
/// As an ``AttributionMethod`` it draws each feature's value over the feature's elements (Captum's
/// `Lime`, `KernelShap` and `ShapleyValueSampling` with a `feature_mask` do the same).
public protocol FeatureAttributionMethod: AttributionMethod {
    /// The interpretable features of each input.
    var features: FeatureSource { get }
    /// What absent features become.
    var absence: Absence { get }
    /// The explanation of `input`'s output at `target`.
    func explain(_ input: PerturbedInput, target: Int, model: Graph) throws -> FeatureExplanation
}

extension FeatureAttributionMethod {
    /// Each sample of `inputs` (N, …) made ready for ``explain(_:target:model:)``.
    public func perturbedInputs(_ inputs: Tensor) throws -> [PerturbedInput] {
        try (0..<inputs.shape[0]).map { index in
            let input = try inputs.backend.slice(inputs, axis: 0, range: index..<(index + 1))
            return try PerturbedInput(
                input, index: index, mask: try features.mask(for: input, index: index), absence: absence)
        }
    }

    /// The explanation of every sample of `inputs` toward `targets[n]`, with each input's
    /// features and the attribution map they draw.
    public func featureAttribution(_ inputs: Tensor, targets: [Int], model: Graph) throws -> FeatureAttribution {
        try checkTargets(targets, for: inputs)
        let prepared = try perturbedInputs(inputs)
        let explanations = try zip(prepared, targets).map { input, target in
            try explain(input, target: target, model: model)
        }
        let maps = zip(prepared, explanations).flatMap { input, explanation in input.mask.expand(explanation.values) }
        return FeatureAttribution(
            explanations: explanations, masks: prepared.map(\.mask),
            attribution: Attribution(values: try inputs.backend.upload(maps, shape: inputs.shape)))
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try featureAttribution(inputs, targets: targets, model: model).attribution
    }

}

/// What a ``FeatureAttributionMethod`` gives for a batch: one explanation per input, the features
/// it is over, and the per-element map they draw.
public struct FeatureAttribution: Sendable {
    /// Per input sample, its explanation.
    public var explanations: [FeatureExplanation]
    /// Per input sample, its features.
    public var masks: [FeatureMask]
    /// The explanations drawn over the inputs: each element its feature's value (the input's shape).
    public var attribution: Attribution
}
