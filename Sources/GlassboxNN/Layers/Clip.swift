import GlassboxCore

/// Clamps every element to [minimum, maximum] (ONNX `Clip`; ReLU6 is Clip(0, 6)).
/// The gradient passes where minimum < x < maximum.
public struct Clip: ElementwiseActivationLayer, Hashable {
    public static let typeName = "clip"
    public var minimum: Float
    public var maximum: Float

    public init(minimum: Float = -.greatestFiniteMagnitude, maximum: Float = .greatestFiniteMagnitude) {
        self.minimum = minimum
        self.maximum = maximum
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard minimum <= maximum else {
            throw GlassboxError.invalidModel("clip minimum \(minimum) exceeds maximum \(maximum)")
        }
        return try singleInput(inputShapes, layer: "clip")
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let low = try backend.filled([1], value: minimum), high = try backend.filled([1], value: maximum)
        return LayerOutput(try backend.binary(try backend.binary(inputs[0], low, .maximum), high, .minimum))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, x = step.inputs[0]
        let aboveMinimum = try backend.unary(try backend.affine(x, scale: 1, shift: -minimum), .positiveIndicator)
        let belowMaximum = try backend.unary(try backend.affine(x, scale: -1, shift: maximum), .positiveIndicator)
        let inside = try backend.binary(aboveMinimum, belowMaximum, .multiply)
        return LayerGradients(inputs: [try backend.binary(step.gradient, inside, .multiply)])
    }
}
