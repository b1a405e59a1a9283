import GlassboxCore

/// The parametric ReLU (He et al. 2015; ONNX `PRelu`): x for x > 0, slope·x
/// otherwise, with a learned `slope` broadcast against the sample (e.g. one per channel, shape C×1×1).
public struct PReLU: ElementwiseActivationLayer, Hashable {
    public static let typeName = "prelu"
    /// The shape of `slope` without the batch axis.
    public var slopeShape: Shape

    public init(slopeShape: Shape) { self.slopeShape = slopeShape }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec(name: "slope", shape: slopeShape, initialization: .constant(0.25))]
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "prelu")
        guard try BroadcastLayout(input, slopeShape).shape == input else {
            throw GlassboxError.shapeMismatch("prelu slope \(slopeShape) does not broadcast to \(input)")
        }
        return input
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend, x = inputs[0], zero = try backend.filled([1], value: 0)
        let slope = try parameters.required("slope", layer: "prelu")
        let negative = try backend.binary(try backend.binary(x, zero, .minimum), slope, .multiply)
        return LayerOutput(try backend.binary(try backend.binary(x, zero, .maximum), negative, .add))
    }

    /// dx = g·([x>0] + slope·[x≤0]); d slope = Σ g·min(x, 0) over the broadcast axes.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, x = step.inputs[0], slope = try step.parameter("slope")
        let positive = try backend.unary(x, .positiveIndicator)
        let factor = try backend.binary(
            positive, try backend.binary(try backend.affine(positive, scale: -1, shift: 1), slope, .multiply), .add)
        var gradients = LayerGradients(inputs: [try backend.binary(step.gradient, factor, .multiply)])
        if step.wantsParameterGradients {
            let negativePart = try backend.binary(x, try backend.filled([1], value: 0), .minimum)
            gradients.parameters["slope"] = try Arithmetic.unbroadcast(
                try backend.binary(step.gradient, negativePart, .multiply),
                to: slope.shape, backend: backend)
        }
        return gradients
    }
}
