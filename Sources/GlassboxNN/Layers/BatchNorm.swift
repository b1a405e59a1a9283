import GlassboxCore

/// Batch normalisation in inference form (Ioffe & Szegedy 2015):
/// y = scale·(x − mean)/√(variance + ε) + offset per channel (axis 1).
///
/// The running mean and variance are fixed parameters (as exported by PyTorch
/// in eval mode); training updates only `scale` and `offset`.
public struct BatchNorm: BatchNormalizationLayer, Hashable {
    public static let typeName = "batch-norm"
    public var channels: Int
    public var epsilon: Float

    public init(channels: Int, epsilon: Float = 1e-5) {
        self.channels = channels
        self.epsilon = epsilon
    }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec(name: "scale", shape: [channels], initialization: .constant(1)),
            ParameterSpec(name: "offset", shape: [channels], initialization: .constant(0)),
            ParameterSpec(name: "mean", shape: [channels], trainable: false, initialization: .constant(0)),
            ParameterSpec(name: "variance", shape: [channels], trainable: false, initialization: .constant(1)),
        ]
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "batch norm")
        guard input.rank >= 2, input[1] == channels else {
            throw GlassboxError.shapeMismatch("batch norm expects N×\(channels)×…, got \(input)")
        }
        return input
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(
            try context.backend.batchNorm(
                inputs[0], mean: try parameters.required("mean", layer: "batch norm"),
                variance: try parameters.required("variance", layer: "batch norm"),
                scale: try parameters.required("scale", layer: "batch norm"),
                offset: try parameters.required("offset", layer: "batch norm"), epsilon: epsilon))
    }

    /// dx = g·scale/√(var+ε) (the same normalisation applied to g with zero mean
    /// and offset); d scale = Σ g·x̂, d offset = Σ g over all axes but 1.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend
        let variance = try step.parameter("variance"), scale = try step.parameter("scale")
        let zeros = try backend.filled([channels], value: 0)
        var gradients = LayerGradients(inputs: [
            try backend.batchNorm(
                step.gradient, mean: zeros, variance: variance,
                scale: scale, offset: zeros, epsilon: epsilon)
        ])
        if step.wantsParameterGradients {
            let normalized = try backend.batchNorm(
                step.inputs[0], mean: try step.parameter("mean"), variance: variance,
                scale: try backend.filled([channels], value: 1), offset: zeros, epsilon: epsilon)
            let axes = [0] + Array(2..<step.gradient.shape.rank)
            gradients.parameters["scale"] = try backend.reduce(
                try backend.binary(step.gradient, normalized, .multiply),
                axes: axes, .sum, keepDimensions: false)
            gradients.parameters["offset"] = try backend.reduce(step.gradient, axes: axes, .sum, keepDimensions: false)
        }
        return gradients
    }
}
