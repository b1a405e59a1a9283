import GlassboxCore

/// An elementwise function of one value: the ONNX operators `Neg`, `Abs`, `Sqrt`,
/// `Exp`, `Log`, `Reciprocal` and `Sign` (ONNX operator specification, opset 13),
/// and the square, ReLU-like positive and negative parts and positive indicator
/// that `UnaryOperation` of GlassboxCore also offers.
///
/// The gradient is the derivative of the function, as PyTorch's autograd defines it:
/// −g for negation, g·sign(x) for the absolute value (0 at x = 0), 2·g·x for the
/// square, g/(2y) for the square root, g·y for the exponential, g/x for the
/// logarithm, −g·y² for the reciprocal, g·[x > 0] and g·[x < 0] for the positive
/// and negative parts, and 0 for the sign and the positive indicator (piecewise
/// constant).
///
/// Its kind is ``ElementwiseActivationLayer``: LRP passes relevance through it
/// unchanged (the `Pass` rule, as Zennit does for activations).
public struct UnaryFunction: ElementwiseActivationLayer, Hashable {
    /// The name under which the layer is stored in model files.
    public static let typeName = "unary-function"
    /// The function applied to every element.
    public var operation: UnaryOperation

    /// A layer applying `operation` to every element of its input.
    public init(_ operation: UnaryOperation) { self.operation = operation }

    /// The input's shape.
    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        try singleInput(inputShapes, layer: "unary function")
    }

    /// y = f(x), elementwise.
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.unary(inputs[0], operation))
    }

    /// g·f′(x), written with the output y where that is how PyTorch writes it.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, g = step.gradient, x = step.inputs[0], y = step.output
        let gradient: Tensor =
            switch operation {
            case .negate: try backend.unary(g, .negate)
            case .abs: try backend.binary(g, try backend.unary(x, .sign), .multiply)
            case .square: try backend.binary(g, try backend.affine(x, scale: 2, shift: 0), .multiply)
            case .sqrt: try backend.binary(g, try backend.affine(y, scale: 2, shift: 0), .divide)
            case .exp: try backend.binary(g, y, .multiply)
            case .log: try backend.binary(g, x, .divide)
            case .reciprocal:
                try backend.unary(try backend.binary(g, try backend.unary(y, .square), .multiply), .negate)
            case .positivePart: try backend.binary(g, try backend.unary(x, .positiveIndicator), .multiply)
            case .negativePart:
                try backend.binary(g, try backend.unary(try backend.unary(x, .negate), .positiveIndicator), .multiply)
            case .positiveIndicator, .sign: try backend.filled(x.shape, value: 0)
            }
        return LayerGradients(inputs: [gradient])
    }
}
