import GlassboxCore

/// A 2-D convolution (NCHW, OIHW weights) with a Gaussian posterior over its
/// weights and biases, sampled by local reparameterisation (see
/// ``BayesianLayer``; Blundell et al. 2015, Kingma et al. 2015): the output
/// variance is the convolution of x² with σ².
public struct BayesianConv2D: BayesianLayer, ConvolutionLayer, Hashable {
    public static let typeName = "bayesian-conv2d"
    public var inputChannels: Int
    public var outputChannels: Int
    public var window: Window2D
    public var prior: WeightPrior

    public init(inputChannels: Int, outputChannels: Int, window: Window2D, prior: WeightPrior = .blundell) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.window = window
        self.prior = prior
    }

    /// A square kernel with the same stride and padding on both axes.
    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        prior: WeightPrior = .blundell
    ) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels,
            window: Window2D(kernel: kernel, stride: stride, padding: padding), prior: prior)
    }

    public var weightShape: Shape { [outputChannels, inputChannels, window.kernelHeight, window.kernelWidth] }
    public var parameterSpecs: [ParameterSpec] {
        bayesianParameterSpecs(fanIn: inputChannels * window.kernelHeight * window.kernelWidth)
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "Bayesian conv2d")
        return try Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, window: window).outputShape(
            for: [input])
    }

    public func linear(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try x.backend.conv2d(x, weight: weight, bias: nil, window: window, groups: 1)
    }

    public func linearTransposed(_ gradient: Tensor, weight: Tensor, inputShape: Shape) throws -> Tensor {
        try gradient.backend.conv2dBackwardData(
            gradient, weight: weight, inputShape: inputShape, window: window, groups: 1)
    }

    public func linearWeightGradient(_ gradient: Tensor, input: Tensor) throws -> Tensor {
        try gradient.backend.conv2dBackwardFilter(
            gradient, input: input, weightShape: weightShape, window: window, groups: 1)
    }
}
