import GlassboxCore

/// Elementwise add, subtract, multiply or divide with NumPy broadcasting (ONNX
/// `Add`, `Sub`, `Mul`, `Div`), of two graph values or of one graph value and a
/// constant operand stored as the parameter `operand`.
///
/// Broadcasting never reaches across the batch axis of a graph value: a
/// constant's shape may have at most the rank of the other input, and its
/// leading extent is 1 when ranks are equal.
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
        guard [.add, .subtract, .multiply, .divide].contains(operation) else {
            throw GlassboxError.invalidModel("arithmetic supports add, subtract, multiply and divide, not \(operation)")
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

    /// ∂(a+b) = (g, g); ∂(a−b) = (g, −g); ∂(a·b) = (g·b, g·a); ∂(a/b) = (g/b, −g·a/b²),
    /// each summed over the axes along which its operand was broadcast.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend
        let (left, right) = try operands(step.inputs, parameters: step.parameters)
        let g = step.gradient
        let (leftGradient, rightGradient): (Tensor, Tensor) =
            switch operation {
            case .add: (g, g)
            case .subtract: (g, try backend.unary(g, .negate))
            case .multiply: (try backend.binary(g, right, .multiply), try backend.binary(g, left, .multiply))
            default:
                (
                    try backend.binary(g, right, .divide),
                    try backend.unary(
                        try backend.binary(try backend.binary(g, step.output, .multiply), right, .divide), .negate)
                )
            }
        let reducedLeft = { try Self.unbroadcast(leftGradient, to: left.shape, backend: backend) }
        let reducedRight = { try Self.unbroadcast(rightGradient, to: right.shape, backend: backend) }
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
