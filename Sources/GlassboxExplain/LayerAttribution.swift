import GlassboxCore
import GlassboxNN

/// Any attribution method applied to the output of a layer instead of the input, as
/// Captum's layer methods (`LayerIntegratedGradients`, `LayerGradientXActivation`): the
/// method explains the rest of the model, `Graph.suffix(after:sideValuesFrom:)`, at the
/// layer's output for each input. For a text model this is how words are explained: token
/// ids are not differentiable, so gradients, paths and noise live on the embedding
/// layer's output (Mudrakarta et al. 2018, "Did the model understand the question?";
/// Captum's IMDB tutorial), and each token's attribution is its embedding vector's
/// attribution reduced over the embedding dimension by ``reduction``.
///
/// A path method's baseline (``baselineInput``, e.g. all-`<pad>` token ids) is given in
/// the input's space and mapped through the layer, as Captum's `LayerIntegratedGradients`
/// maps its `baselines`; the convergence delta is then Σ attributions − (f(x) − f(b))
/// with f(b) the rest of the model at the baseline's layer output. Where the rest of the
/// model also reads values computed from the input by another path (a padding mask),
/// those come from the explained input, also for the baseline, so each input is explained
/// on its own; Captum differs only in computing the delta's f(b) from the baseline input
/// with the baseline's own mask.
public struct LayerAttribution: AttributionMethod {
    /// How each position's attribution vector (the layer's last axis) becomes one number.
    public enum Reduction: String, Sendable, CaseIterable {
        /// Kept as it is: one value per element of the layer's output.
        case none
        /// The sum over the last axis (Captum's token attributions; keeps IG's completeness).
        case sum
        /// The Euclidean norm over the last axis (the magnitude of an embedding gradient).
        case l2Norm = "l2-norm"
    }

    public var name: String { method.name }
    /// The method run on the layer's output.
    public var method: any AttributionMethod
    /// The node whose output is explained.
    public var layer: String
    /// How the last axis of the attributions is reduced.
    public var reduction: Reduction
    /// The input whose layer output is the wrapped method's baseline, when the method is a
    /// ``BaselineAttributionMethod``: one sample (1, …) or one per input sample (N, …).
    public var baselineInput: Tensor?

    /// `method` applied to the output of node `layer`, reduced over its last axis by `reduction`.
    public init(
        _ method: any AttributionMethod, layer: String, reduction: Reduction = .sum, baselineInput: Tensor? = nil
    ) {
        self.method = method
        self.layer = layer
        self.reduction = reduction
        self.baselineInput = baselineInput
    }

    /// The wrapped method's parameters, with the layer, the reduction and the baseline input's
    /// shape (which replaces the wrapped method's own baseline).
    public var parameters: [String: String] {
        var result = method.parameters
        result["layer"] = layer
        result["reduction"] = reduction.rawValue
        if let baselineInput {
            result["baseline"] = nil
            result["baselineInput"] = "tensor \(baselineInput.shape)"
        }
        return result
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let backend = inputs.backend
        let baseline = try baselineInput.map { try model.forward($0).activation(layer) }
        guard try !model.sideValues(after: layer).isEmpty else {
            return try attribute(
                try model.forward(inputs).activation(layer), baseline: baseline, targets: targets,
                suffix: try model.suffix(after: layer))
        }
        var values = [Tensor](), deltas = [Float]()
        for index in 0..<inputs.shape[0] {
            let record = try model.forward(try backend.slice(inputs, axis: 0, range: index..<(index + 1)))
            let attribution = try attribute(
                try record.activation(layer),
                baseline: try baseline.map {
                    $0.shape[0] == 1 ? $0 : try backend.slice($0, axis: 0, range: index..<(index + 1))
                },
                targets: [targets[index]], suffix: try model.suffix(after: layer, sideValuesFrom: record))
            values.append(attribution.values)
            deltas += attribution.convergenceDeltas ?? []
        }
        return Attribution(values: try values.joinedAlongBatch(), convergenceDeltas: deltas.isEmpty ? nil : deltas)
    }

    /// The wrapped method on the layer outputs `values`, from `baseline` where given, reduced.
    private func attribute(_ values: Tensor, baseline: Tensor?, targets: [Int], suffix: Graph) throws -> Attribution {
        var method = method
        if let baseline {
            guard let path = method as? any BaselineAttributionMethod else {
                throw GlassboxError.invalidArgument("\(method.name) takes no baseline")
            }
            method = path.replacingBaseline(.tensor(baseline))
        }
        var attribution = try method.attribute(values, targets: targets, model: suffix)
        attribution.values = try reduced(attribution.values)
        return attribution
    }

    /// `values` reduced over their last axis by ``reduction``.
    private func reduced(_ values: Tensor) throws -> Tensor {
        let backend = values.backend, last = values.shape.rank - 1
        switch reduction {
        case .none: return values
        case .sum: return try backend.reduce(values, axes: [last], .sum, keepDimensions: false)
        case .l2Norm:
            let squares = try backend.reduce(
                try backend.unary(values, .square), axes: [last], .sum, keepDimensions: false)
            return try backend.unary(squares, .sqrt)
        }
    }
}
