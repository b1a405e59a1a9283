import GlassboxCore

/// The exponential linear unit (Clevert et al. 2016; ONNX `Elu`):
/// x for x > 0, α·(eˣ − 1) otherwise.
public struct ELU: ElementwiseActivationLayer, Hashable {
    public static let typeName = "elu"
    public var alpha: Float

    public init(alpha: Float = 1) { self.alpha = alpha }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        try singleInput(inputShapes, layer: "elu")
    }

    /// y = x·[x>0] + α·(e^min(x,0) − 1)·[x≤0]; the exponent is clamped so large x cannot overflow.
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend, x = inputs[0]
        let positive = try backend.unary(x, .positiveIndicator)
        let negativePart = try backend.affine(
            try backend.unary(try backend.binary(x, try backend.filled([1], value: 0), .minimum), .exp),
            scale: alpha, shift: -alpha)
        let linear = try backend.binary(x, positive, .multiply)
        let exponential = try backend.binary(negativePart, try backend.affine(positive, scale: -1, shift: 1), .multiply)
        return LayerOutput(try backend.binary(linear, exponential, .add))
    }

    /// dy/dx = 1 for x > 0, y + α otherwise.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend
        let positive = try backend.unary(step.inputs[0], .positiveIndicator)
        let negativeSlope = try backend.binary(
            try backend.affine(step.output, scale: 1, shift: alpha),
            try backend.affine(positive, scale: -1, shift: 1), .multiply)
        let slope = try backend.binary(positive, negativeSlope, .add)
        return LayerGradients(inputs: [try backend.binary(step.gradient, slope, .multiply)])
    }
}
