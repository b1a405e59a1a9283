import GlassboxCore

/// 2-D convolution (cross-correlation) with OIHW weights, optional bias and groups,
/// as PyTorch's `Conv2d` and ONNX `Conv`.
public struct Conv2D: Layer, Hashable {
    public static let typeName = "conv2d"
    public var inputChannels: Int
    public var outputChannels: Int
    public var window: Window2D
    public var groups: Int
    public var hasBias: Bool

    public init(inputChannels: Int, outputChannels: Int, window: Window2D, groups: Int = 1, hasBias: Bool = true) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.window = window
        self.groups = groups
        self.hasBias = hasBias
    }

    /// A square kernel with the same stride and padding on both axes.
    public init(_ inputChannels: Int, _ outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels,
            window: Window2D(kernel: kernel, stride: stride, padding: padding))
    }

    var weightShape: Shape {
        [outputChannels, inputChannels / max(groups, 1), window.kernelHeight, window.kernelWidth]
    }

    public var parameterSpecs: [ParameterSpec] {
        let fanIn = inputChannels / max(groups, 1) * window.kernelHeight * window.kernelWidth
        return [ParameterSpec(name: "weight", shape: weightShape, initialization: .heNormal(fanIn: fanIn))]
            + (hasBias ? [ParameterSpec(name: "bias", shape: [outputChannels], initialization: .constant(0))] : [])
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "conv2d")
        guard input.rank == 4, input[1] == inputChannels else {
            throw GlassboxError.shapeMismatch("conv2d expects N×\(inputChannels)×H×W, got \(input)")
        }
        guard outputChannels > 0 else {
            throw GlassboxError.invalidModel("conv2d needs a positive number of output channels, got \(outputChannels)")
        }
        guard groups > 0, inputChannels % groups == 0, outputChannels % groups == 0 else {
            throw GlassboxError.invalidModel(
                "conv2d with \(inputChannels)→\(outputChannels) channels cannot have \(groups) groups")
        }
        try window.validate(inputHeight: input[2], inputWidth: input[3])
        let (height, width) = window.outputSize(inputHeight: input[2], inputWidth: input[3])
        return [input[0], outputChannels, height, width]
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(
            try context.backend.conv2d(
                inputs[0], weight: try parameters.required("weight", layer: "conv2d"),
                bias: try bias(parameters), window: window, groups: groups))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        try backward(step) { backend, weight, shape in
            try backend.conv2dBackwardData(
                step.gradient, weight: weight, inputShape: shape, window: window, groups: groups)
        }
    }

    /// The layer's bias, when it has one.
    private func bias(_ parameters: [String: Tensor]) throws -> Tensor? {
        hasBias ? try parameters.required("bias", layer: "conv2d") : nil
    }

    /// The gradients, with the input gradient computed by `inputGradient(backend, weight, inputShape)`.
    private func backward(
        _ step: BackwardStep,
        inputGradient: (any Backend, Tensor, Shape) throws -> Tensor
    ) throws -> LayerGradients {
        let backend = step.backend, weight = try step.parameter("weight")
        let input = step.inputs[0]
        var gradients = LayerGradients(inputs: [try inputGradient(backend, weight, input.shape)])
        if step.wantsParameterGradients {
            gradients.parameters["weight"] = try backend.conv2dBackwardFilter(
                step.gradient, input: input, weightShape: weight.shape,
                window: window, groups: groups)
            if hasBias {
                gradients.parameters["bias"] = try backend.reduce(
                    step.gradient, axes: [0, 2, 3], .sum, keepDimensions: false)
            }
        }
        return gradients
    }
}

extension Conv2D: ConvolutionLayer {
    public var weightParameter: String { "weight" }
    public var biasParameter: String? { hasBias ? "bias" : nil }
}

extension Conv2D: NoisyInputLayer {
    public func forward(_ batch: NoisyBatch, parameters: [String: Tensor], context: ForwardContext) throws
        -> LayerOutput
    {
        LayerOutput(
            try context.backend.conv2d(
                batch, weight: try parameters.required("weight", layer: "conv2d"),
                bias: try bias(parameters), window: window, groups: groups))
    }

    public func inputGradientStatistics(
        _ gradient: Tensor, inputShape: Shape, parameters: [String: Tensor],
        absolute: Bool
    ) throws -> SampleStatistics {
        try gradient.backend.conv2dBackwardDataStatistics(
            gradient, weight: try parameters.required("weight", layer: "conv2d"),
            inputShape: inputShape, window: window, groups: groups,
            absolute: absolute)
    }
}

extension Conv2D: ReLUGatedLayer {
    public func backward(_ step: BackwardStep, through gate: ReLUBackwardGate) throws -> LayerGradients {
        try backward(step) { backend, weight, shape in
            try backend.conv2dBackwardData(
                step.gradient, weight: weight, inputShape: shape, window: window, groups: groups,
                through: gate)
        }
    }
}

/// The only input shape of a single-input layer, or a clear error.
func singleInput(_ shapes: [Shape], layer: String) throws -> Shape {
    guard shapes.count == 1 else {
        throw GlassboxError.invalidModel("\(layer) takes one input, got \(shapes.count)")
    }
    return shapes[0]
}
