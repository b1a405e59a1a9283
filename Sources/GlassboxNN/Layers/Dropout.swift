import GlassboxCore

/// Inverted dropout (Srivastava et al. 2014): in ``ForwardMode/stochastic``
/// passes each element is zeroed with probability `probability` and the rest
/// scaled by 1/(1 − p); in inference it is the identity. Masks come from the
/// node's `RandomStream`, so MC-dropout is reproducible on every backend.
public struct Dropout: Layer, Hashable {
    public static let typeName = "dropout"
    public var probability: Float

    public init(_ probability: Float) { self.probability = probability }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard probability >= 0, probability < 1 else {
            throw GlassboxError.invalidModel("dropout probability \(probability) is not in [0, 1)")
        }
        return try singleInput(inputShapes, layer: "dropout")
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        guard context.mode == .stochastic, probability > 0 else { return LayerOutput(inputs[0]) }
        let backend = context.backend
        let mask = try backend.dropoutMask(inputs[0].shape, probability: probability, stream: context.randomStream)
        return LayerOutput(try backend.binary(inputs[0], mask, .multiply), saved: [mask])
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        guard let mask = step.saved.first else { return LayerGradients(inputs: [step.gradient]) }
        return LayerGradients(inputs: [try step.backend.binary(step.gradient, mask, .multiply)])
    }
}
