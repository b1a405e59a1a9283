import GlassboxCore

/// Elementwise add, subtract, multiply, divide or power with NumPy broadcasting
/// (ONNX `Add`, `Sub`, `Mul`, `Div`, `Pow`), of two graph values or of one graph
/// value and a constant operand stored as the parameter `operand`.
///
/// Broadcasting never reaches across the batch axis of a graph value: a
/// constant's shape may have at most the rank of the other input, and its
/// leading extent is 1 when ranks are equal.
///
/// A product of two graph values is a ``BilinearLayer`` (``multipliesInputs``),
/// which LRP gives AttnLRP's uniform rule; LRP chooses the rule of the other
/// operations by the operation and the constant (see GlassboxExplain's `LRPComposite`).
public struct Arithmetic: Layer, Hashable {
    public static let typeName = "arithmetic"
    public var operation: BinaryOperation
    /// The shape of the constant operand, or nil when both operands are graph inputs.
    public var constantShape: Shape?
    /// Whether the constant is the left operand (`c − x`, `c / x`).
    public var constantFirst: Bool

    public init(_ operation: BinaryOperation, constantShape: Shape? = nil, constantFirst: Bool = false) {
        self.operation = operation
        self.constantShape = constantShape
        self.constantFirst = constantFirst
    }

    public var parameterSpecs: [ParameterSpec] {
        constantShape.map {
            [ParameterSpec(name: "operand", shape: $0, trainable: false, initialization: .constant(0))]
        } ?? []
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard [.add, .subtract, .multiply, .divide, .power].contains(operation) else {
            throw GlassboxError.invalidModel(
                "arithmetic supports add, subtract, multiply, divide and power, not \(operation)")
        }
        let operands = try operandShapes(inputShapes)
        let shape = try BroadcastLayout(operands.0, operands.1).shape
        guard let batch = inputShapes.first, shape.rank == batch.rank,
            inputShapes.allSatisfy({ $0.rank == 0 || $0[0] == shape[0] })
        else {
            throw GlassboxError.shapeMismatch(
                "arithmetic of \(operands.0) and \(operands.1) would broadcast across the batch axis")
        }
        return shape
    }

    /// The (left, right) operand shapes, with the constant in its place.
    private func operandShapes(_ inputShapes: [Shape]) throws -> (Shape, Shape) {
        if let constantShape {
            let input = try singleInput(inputShapes, layer: "arithmetic")
            return constantFirst ? (constantShape, input) : (input, constantShape)
        }
        guard inputShapes.count == 2 else {
            throw GlassboxError.invalidModel("arithmetic takes two inputs, got \(inputShapes.count)")
        }
        return (inputShapes[0], inputShapes[1])
    }

    /// The (left, right) operand tensors.
    private func operands(_ inputs: [Tensor], parameters: [String: Tensor]) throws -> (Tensor, Tensor) {
        guard constantShape != nil else { return (inputs[0], inputs[1]) }
        let constant = try parameters.required("operand", layer: "arithmetic")
        return constantFirst ? (constant, inputs[0]) : (inputs[0], constant)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let (left, right) = try operands(inputs, parameters: parameters)
        return LayerOutput(try context.backend.binary(left, right, operation))
    }

    /// ∂(a+b) = (g, g); ∂(a−b) = (g, −g); ∂(a·b) = (g·b, g·a); ∂(a/b) = (g/b, −g·a/b²);
    /// ∂(aᵇ) = (g·b·aᵇ⁻¹, g·y·log a), each summed over the axes along which its operand
    /// was broadcast. As in PyTorch's `pow` backward, the base's gradient is 0 where
    /// b = 0 and the exponent's is 0 where a = 0 and b ≥ 0 (instead of 0·∞); a negative
    /// base gives the exponent a NaN gradient. The gradient of a constant operand is
    /// computed only when parameter gradients are asked for.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend
        let (left, right) = try operands(step.inputs, parameters: step.parameters)
        let g = step.gradient
        /// The gradient of the left (`isLeft`) or right operand, in the broadcast shape.
        func operandGradient(isLeft: Bool) throws -> Tensor {
            switch (operation, isLeft) {
            case (.add, _), (.subtract, true): return g
            case (.subtract, false): return try backend.unary(g, .negate)
            case (.multiply, _): return try backend.binary(g, isLeft ? right : left, .multiply)
            case (.divide, true): return try backend.binary(g, right, .divide)
            case (.divide, false):
                return try backend.unary(
                    try backend.binary(try backend.binary(g, step.output, .multiply), right, .divide), .negate)
            case (.power, true):
                // b·a^(b − 1 + [b = 0]): 0·a⁰ = 0 where b = 0, never 0·0⁻¹.
                let zero = try backend.filled(Shape(Array(repeating: 1, count: right.shape.rank)), value: 0)
                let isZero = try backend.binary(right, zero, .equal)
                let exponent = try backend.binary(try backend.affine(right, scale: 1, shift: -1), isZero, .add)
                let derivative = try backend.binary(right, try backend.binary(left, exponent, .power), .multiply)
                return try backend.binary(g, derivative, .multiply)
            case (.power, false):
                // y·log(a + [a = 0]·[b ≥ 0]): y = 0 there, and log 1 = 0 keeps it so.
                let zero = try backend.filled(Shape(Array(repeating: 1, count: left.shape.rank)), value: 0)
                let baseIsZero = try backend.binary(left, zero, .equal)
                let exponentIsNegative = try backend.unary(try backend.unary(right, .negate), .positiveIndicator)
                let masked = try backend.binary(
                    baseIsZero, try backend.affine(exponentIsNegative, scale: -1, shift: 1), .multiply)
                let logarithm = try backend.unary(try backend.binary(left, masked, .add), .log)
                return try backend.binary(g, try backend.binary(step.output, logarithm, .multiply), .multiply)
            default: throw GlassboxError.invalidModel("arithmetic has no gradient for \(operation)")
            }
        }
        let reducedLeft = { try Self.unbroadcast(try operandGradient(isLeft: true), to: left.shape, backend: backend) }
        let reducedRight = {
            try Self.unbroadcast(try operandGradient(isLeft: false), to: right.shape, backend: backend)
        }
        guard constantShape != nil else { return LayerGradients(inputs: [try reducedLeft(), try reducedRight()]) }
        var gradients = LayerGradients(inputs: [try constantFirst ? reducedRight() : reducedLeft()])
        if step.wantsParameterGradients {
            gradients.parameters["operand"] = try constantFirst ? reducedLeft() : reducedRight()
        }
        return gradients
    }

    /// Sums a gradient of the broadcast shape back to an operand's shape.
    static func unbroadcast(_ gradient: Tensor, to shape: Shape, backend: any Backend) throws -> Tensor {
        guard gradient.shape != shape else { return gradient }
        let offset = gradient.shape.rank - shape.rank
        let axes = (0..<gradient.shape.rank).filter { $0 < offset || shape[$0 - offset] == 1 }
        return try backend.reduce(gradient, axes: axes, .sum, keepDimensions: true).reshaped(shape)
    }
}

extension Arithmetic: BilinearLayer {
    /// Whether the layer multiplies two graph values (no constant operand).
    public var multipliesInputs: Bool { operation == .multiply && constantShape == nil }
}
