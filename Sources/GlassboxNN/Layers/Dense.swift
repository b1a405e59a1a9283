import GlassboxCore

/// A fully connected layer y = x·Wᵀ + b with W of shape (outputs, inputs), as
/// PyTorch's `Linear`: it acts on the last axis, so an N×…×inputs tensor gives
/// N×…×outputs (every leading position is a row of the product).
public struct Dense: Layer, Hashable {
    public static let typeName = "dense"
    public var inputFeatures: Int
    public var outputFeatures: Int
    public var hasBias: Bool

    public init(_ inputFeatures: Int, _ outputFeatures: Int, hasBias: Bool = true) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        self.hasBias = hasBias
    }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec(
                name: "weight", shape: [outputFeatures, inputFeatures], initialization: .heNormal(fanIn: inputFeatures))
        ]
            + (hasBias ? [ParameterSpec(name: "bias", shape: [outputFeatures], initialization: .constant(0))] : [])
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "dense")
        guard input.rank >= 2, input[-1] == inputFeatures else {
            throw GlassboxError.shapeMismatch("dense expects N×…×\(inputFeatures), got \(input)")
        }
        guard outputFeatures > 0 else {
            throw GlassboxError.invalidModel("dense needs a positive number of outputs, got \(outputFeatures)")
        }
        return Shape(input.dimensions.dropLast() + [outputFeatures])
    }

    /// `tensor` as a matrix with one row per position of its last axis.
    static func rows(_ tensor: Tensor) throws -> Tensor {
        try tensor.reshaped([tensor.shape.count / tensor.shape[-1], tensor.shape[-1]])
    }

    /// The matrix `rows` laid back out with the leading axes of `like`.
    static func unrows(_ rows: Tensor, like shape: Shape) throws -> Tensor {
        try rows.reshaped(Shape(shape.dimensions.dropLast() + [rows.shape[1]]))
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let product = try backend.gemm(
            try Self.rows(inputs[0]), try parameters.required("weight", layer: "dense"),
            transposeA: false, transposeB: true, alpha: 1, beta: 0, accumulator: nil)
        let output = hasBias ? try backend.addBias(product, try parameters.required("bias", layer: "dense")) : product
        return LayerOutput(try Self.unrows(output, like: inputs[0].shape))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, weight = try step.parameter("weight"), gradient = try Self.rows(step.gradient)
        let inputGradient = try backend.gemm(
            gradient, weight, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        var gradients = LayerGradients(inputs: [try Self.unrows(inputGradient, like: step.inputs[0].shape)])
        if step.wantsParameterGradients {
            gradients.parameters["weight"] = try backend.gemm(
                gradient, try Self.rows(step.inputs[0]), transposeA: true, transposeB: false,
                alpha: 1, beta: 0, accumulator: nil)
            if hasBias {
                gradients.parameters["bias"] = try backend.reduce(gradient, axes: [0], .sum, keepDimensions: false)
            }
        }
        return gradients
    }
}

extension Dense: FullyConnectedLayer {
    public var weightParameter: String { "weight" }
    public var biasParameter: String? { hasBias ? "bias" : nil }
}
