import GlassboxCore

/// A fully connected layer y = x·Wᵀ + b with W of shape (outputs, inputs), as
/// PyTorch's `Linear`.
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
        [ParameterSpec(name: "weight", shape: [outputFeatures, inputFeatures], initialization: .heNormal(fanIn: inputFeatures))]
            + (hasBias ? [ParameterSpec(name: "bias", shape: [outputFeatures], initialization: .constant(0))] : [])
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "dense")
        guard input.rank == 2, input[1] == inputFeatures else {
            throw GlassboxError.shapeMismatch("dense expects N×\(inputFeatures), got \(input)")
        }
        guard outputFeatures > 0 else {
            throw GlassboxError.invalidModel("dense needs a positive number of outputs, got \(outputFeatures)")
        }
        return [input[0], outputFeatures]
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput {
        let backend = context.backend
        let product = try backend.gemm(inputs[0], try parameters.required("weight", layer: "dense"),
                                       transposeA: false, transposeB: true, alpha: 1, beta: 0, accumulator: nil)
        return LayerOutput(hasBias ? try backend.addBias(product, try parameters.required("bias", layer: "dense")) : product)
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, weight = try step.parameter("weight")
        var gradients = LayerGradients(inputs: [try backend.gemm(step.gradient, weight, transposeA: false, transposeB: false,
                                                                 alpha: 1, beta: 0, accumulator: nil)])
        if step.wantsParameterGradients {
            gradients.parameters["weight"] = try backend.gemm(step.gradient, step.inputs[0], transposeA: true, transposeB: false,
                                                              alpha: 1, beta: 0, accumulator: nil)
            if hasBias {
                gradients.parameters["bias"] = try backend.reduce(step.gradient, axes: [0], .sum, keepDimensions: false)
            }
        }
        return gradients
    }
}
