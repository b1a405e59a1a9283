/// The sizes of one 2-D convolution (NCHW input, OIHW weight with I = C/groups),
/// validated once so every backend accepts and rejects the same shapes.
///
/// Seen as matrix products, group g of sample n multiplies its `outputsPerGroup ×
/// patchSize` weights by the `patchSize × outputPixels` im2col matrix of its input
/// patches, whose rows are (input channel of the group, kernel row, kernel column).
public struct ConvolutionPlan: Sendable {
    /// N, C, H and W of the input.
    public let batch: Int, inputChannels: Int, height: Int, width: Int
    /// The output channels (O of the weight) and the number of groups they split into.
    public let outputChannels: Int, groups: Int
    /// The sliding-window geometry.
    public let window: Window2D
    /// The spatial size of the output.
    public let outputHeight: Int, outputWidth: Int

    /// Input channels each group reads.
    public var channelsPerGroup: Int { inputChannels / groups }
    /// Output channels each group writes.
    public var outputsPerGroup: Int { outputChannels / groups }
    /// Output positions per channel.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// Rows of the im2col matrix: one per (input channel of the group, kernel row, kernel column).
    public var patchSize: Int { channelsPerGroup * window.kernelHeight * window.kernelWidth }
    /// Elements of one group's im2col matrix, `patchSize × outputPixels`.
    public var columnCount: Int { patchSize * outputPixels }
    /// Multiply-adds of the forward pass per sample.
    public var multiplyAddsPerSample: Int { outputChannels * patchSize * outputPixels }
    /// The input's shape, N × C × H × W.
    public var inputShape: Shape { [batch, inputChannels, height, width] }
    /// The output's shape, N × O × outputHeight × outputWidth.
    public var outputShape: Shape { [batch, outputChannels, outputHeight, outputWidth] }

    /// Checks ranks, groups, kernel size and window, throwing
    /// ``GlassboxError/shapeMismatch(_:)`` or ``GlassboxError/invalidArgument(_:)``.
    public init(input: Shape, weight: Shape, window: Window2D, groups: Int) throws {
        guard input.rank == 4, weight.rank == 4 else {
            throw GlassboxError.shapeMismatch("conv2d needs NCHW input and OIHW weight, got \(input) and \(weight)")
        }
        guard groups > 0, input[1] % groups == 0, weight[0] % groups == 0, weight[1] * groups == input[1] else {
            throw GlassboxError.shapeMismatch(
                "conv2d weight \(weight) with \(groups) group(s) does not fit input \(input)")
        }
        guard weight[2] == window.kernelHeight, weight[3] == window.kernelWidth else {
            throw GlassboxError.shapeMismatch(
                "conv2d weight \(weight) does not match a \(window.kernelHeight)×\(window.kernelWidth) kernel")
        }
        try window.validate(inputHeight: input[2], inputWidth: input[3])
        (batch, inputChannels, height, width) = (input[0], input[1], input[2], input[3])
        outputChannels = weight[0]
        self.groups = groups
        self.window = window
        (outputHeight, outputWidth) = window.outputSize(inputHeight: height, inputWidth: width)
    }

    /// For a stride-1 convolution, the window of the convolution that maps the
    /// output gradient back to the input gradient: the same kernel flipped in
    /// space with input and output channels swapped (``flippedKernelShape``), the
    /// same dilation, and padding `(k − 1)·d − p` on each side (Dumoulin & Visin
    /// 2016, "A guide to convolution arithmetic for deep learning", §4.1). Nil when
    /// the convolution is strided or a side's padding exceeds `(k − 1)·d`.
    public var backwardDataWindow: Window2D? {
        guard window.strideHeight == 1, window.strideWidth == 1 else { return nil }
        let spanHeight = (window.kernelHeight - 1) * window.dilationHeight
        let spanWidth = (window.kernelWidth - 1) * window.dilationWidth
        let pads = [
            spanHeight - window.padTop, spanWidth - window.padLeft, spanHeight - window.padBottom,
            spanWidth - window.padRight,
        ]
        guard pads.allSatisfy({ $0 >= 0 }) else { return nil }
        return Window2D(
            kernelHeight: window.kernelHeight, kernelWidth: window.kernelWidth,
            padTop: pads[0], padLeft: pads[1], padBottom: pads[2], padRight: pads[3],
            dilationHeight: window.dilationHeight, dilationWidth: window.dilationWidth)
    }

    /// The weight shape of the convolution under ``backwardDataWindow``: C × O/groups × kH × kW.
    public var flippedKernelShape: Shape { [inputChannels, outputsPerGroup, window.kernelHeight, window.kernelWidth] }

    /// Throws ``GlassboxError/shapeMismatch(_:)`` unless `shape` is ``outputShape``.
    public func checkGradient(_ shape: Shape) throws {
        guard shape == outputShape else {
            throw GlassboxError.shapeMismatch("conv2d output gradient \(shape), expected \(outputShape)")
        }
    }

    /// Throws ``GlassboxError/shapeMismatch(_:)`` unless `shape` is one value per output channel.
    public func checkBias(_ shape: Shape) throws {
        guard shape == [outputChannels] else {
            throw GlassboxError.shapeMismatch("conv bias \(shape) for \(outputChannels) output channels")
        }
    }
}
