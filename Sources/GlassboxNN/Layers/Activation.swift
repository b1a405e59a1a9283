import GlassboxCore

/// A pointwise nonlinearity node: ReLU, LeakyReLU, sigmoid or tanh.
///
/// ReLU nodes are where Guided Backpropagation and Deconvnet differ from the
/// gradient (see ``ReLURule``).
public struct Activation: ElementwiseActivationLayer, Hashable {
    public static let typeName = "activation"
    public var kind: ActivationKind

    public init(_ kind: ActivationKind) { self.kind = kind }

    public static let relu = Activation(.relu)

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        try singleInput(inputShapes, layer: "activation")
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.activation(inputs[0], kind))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [
            try step.backend.activationBackward(
                step.gradient, input: step.inputs[0],
                output: step.output, kind: kind)
        ])
    }
}
