import GlassboxCore

/// One 2-D convolution of the suite: input shape, output channels, window, groups, bias.
struct ConvolutionGeometry: Sendable {
    let input: [Int]
    let outputChannels: Int
    let window: Window2D
    let groups: Int
    let bias: Bool

    var weight: [Int] { [outputChannels, input[1] / groups, window.kernelHeight, window.kernelWidth] }
    var output: [Int] { window.outputShape(input, channels: outputChannels) }
    /// One sample of the input, `(1, C, H, W)`.
    var sample: [Int] { [1] + input.dropFirst() }
    var label: String {
        "\(Shape(input).label) → \(outputChannels) \(window.label) g\(groups)" + (bias ? " +bias" : "")
    }
}

extension BackendOperation {
    /// Stride, asymmetric padding, padding beyond the kernel's span, dilation, groups
    /// (depthwise too), bias, rectangular kernels, kernels as large as the input, windows
    /// lying wholly in the padding; and sizes that cross the CPU's blocking (patches deeper
    /// than a depth block, rows wider than two 16-column slivers, thread chunks straddling
    /// groups) and the OpenCL kernel's 64-wide tiles.
    static let convolutions: [ConvolutionGeometry] = [
        ConvolutionGeometry(
            input: [1, 1, 1, 1], outputChannels: 1, window: Window2D(kernel: 1), groups: 1, bias: false),
        ConvolutionGeometry(
            input: [2, 3, 7, 7], outputChannels: 4, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: true),
        ConvolutionGeometry(
            input: [2, 4, 7, 7], outputChannels: 6,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                padTop: 1, padLeft: 0, padBottom: 2, padRight: 1),
            groups: 2, bias: true),
        ConvolutionGeometry(
            input: [1, 3, 9, 11], outputChannels: 5, window: Window2D(kernel: 3, padding: 2, dilation: 2),
            groups: 1, bias: false),
        ConvolutionGeometry(
            input: [1, 5, 8, 8], outputChannels: 5, window: Window2D(kernel: 3, padding: 1), groups: 5, bias: true),
        ConvolutionGeometry(
            input: [2, 6, 13, 13], outputChannels: 12, window: Window2D(kernel: 3, stride: 2, padding: 1),
            groups: 6, bias: false),
        ConvolutionGeometry(
            input: [1, 2, 33, 33], outputChannels: 3,
            window: Window2D(
                kernelHeight: 5, kernelWidth: 5, strideHeight: 3, strideWidth: 3,
                padTop: 2, padLeft: 1, padBottom: 0, padRight: 2),
            groups: 1, bias: true),
        ConvolutionGeometry(
            input: [1, 1, 65, 65], outputChannels: 1, window: Window2D(kernel: 7, stride: 2, padding: 3),
            groups: 1, bias: false),
        ConvolutionGeometry(
            input: [1, 33, 9, 9], outputChannels: 65, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: true),
        ConvolutionGeometry(
            input: [3, 7, 5, 5], outputChannels: 3, window: Window2D(kernel: 1), groups: 1, bias: false),
        ConvolutionGeometry(
            input: [1, 4, 6, 10], outputChannels: 2,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 1, strideHeight: 1, strideWidth: 2,
                padTop: 1, padBottom: 1, dilationHeight: 2),
            groups: 1, bias: true),
        ConvolutionGeometry(
            input: [2, 2, 7, 7], outputChannels: 2, window: Window2D(kernel: 2, stride: 3, padding: 2),
            groups: 1, bias: true),
        ConvolutionGeometry(
            input: [1, 8, 127, 1], outputChannels: 4,
            window: Window2D(kernelHeight: 5, kernelWidth: 1, strideHeight: 2, padTop: 2, padBottom: 2),
            groups: 4, bias: false),
        ConvolutionGeometry(
            input: [1, 3, 1, 127], outputChannels: 3,
            window: Window2D(kernelHeight: 1, kernelWidth: 3, strideWidth: 4, dilationWidth: 3),
            groups: 3, bias: true),
        ConvolutionGeometry(
            input: [2, 3, 9, 8], outputChannels: 5, window: Window2D(kernel: 3, stride: 2), groups: 1, bias: false),
        ConvolutionGeometry(
            input: [2, 4, 7, 9], outputChannels: 6,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                padTop: 1, padLeft: 0, padBottom: 2, padRight: 3),
            groups: 2, bias: true),
        ConvolutionGeometry(
            input: [5, 2, 33, 31], outputChannels: 3,
            window: Window2D(
                kernelHeight: 5, kernelWidth: 3, strideHeight: 3, strideWidth: 2,
                padTop: 2, padLeft: 1, padBottom: 0, padRight: 2, dilationWidth: 2),
            groups: 1, bias: false),
        ConvolutionGeometry(
            input: [2, 4, 9, 8], outputChannels: 6,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                padTop: 1, padLeft: 0, padBottom: 2, padRight: 1, dilationHeight: 1, dilationWidth: 2),
            groups: 2, bias: true),
        ConvolutionGeometry(
            input: [1, 3, 11, 10], outputChannels: 6,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 3,
                padTop: 0, padLeft: 2, padBottom: 1, padRight: 0, dilationHeight: 2, dilationWidth: 2),
            groups: 3, bias: false),
        ConvolutionGeometry(
            input: [3, 5, 6, 7], outputChannels: 2, window: Window2D(kernel: 1, stride: 2), groups: 1, bias: true),
        ConvolutionGeometry(
            input: [1, 2, 4, 3], outputChannels: 3, window: Window2D(kernelHeight: 4, kernelWidth: 3),
            groups: 1, bias: false),
        ConvolutionGeometry(
            input: [1, 2, 2, 2], outputChannels: 1, window: Window2D(kernel: 3, padding: 2), groups: 1, bias: true),
        ConvolutionGeometry(
            input: [2, 15, 24, 24], outputChannels: 3, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: false),
        ConvolutionGeometry(
            input: [2, 6, 20, 20], outputChannels: 6, window: Window2D(kernel: 3, padding: 1), groups: 3, bias: true),
        ConvolutionGeometry(
            input: [1, 4, 13, 12], outputChannels: 6,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 2, padTop: 2, padLeft: 1, padBottom: 1, padRight: 0,
                dilationHeight: 2, dilationWidth: 1),
            groups: 2, bias: false),
        ConvolutionGeometry(
            input: [2, 3, 5, 4], outputChannels: 2, window: Window2D(kernel: 1, padding: 1), groups: 1, bias: true),
        ConvolutionGeometry(
            input: [1, 2, 6, 33], outputChannels: 7, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: false),
        ConvolutionGeometry(
            input: [2, 3, 7, 5], outputChannels: 4, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: false),
        ConvolutionGeometry(
            input: [2, 4, 5, 6], outputChannels: 4,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                padTop: 2, padLeft: 1, padBottom: 0, padRight: 1, dilationHeight: 1, dilationWidth: 3),
            groups: 2, bias: true),
    ]

    /// Every geometry, and the shapes every backend refuses.
    static func conv2dCases() -> [ConformanceCase] {
        convolutions.map { conv in
            let name = "conv2d \(conv.label)"
            var random = SplitMix64(name: name)
            let input = HostTensor(conv.input, random.floats(Shape(conv.input).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            let bias = conv.bias ? HostTensor([conv.outputChannels], random.floats(conv.outputChannels)) : nil
            return .single(name, .conv2d, shape: conv.output) { backend in
                try backend.conv2d(
                    try backend.upload(input), weight: try backend.upload(weight),
                    bias: try bias.map { try backend.upload($0) }, window: conv.window, groups: conv.groups)
            }
        } + convolutionRejections(.conv2d)
    }

    static func conv2dBackwardDataCases() -> [ConformanceCase] {
        convolutions.map { conv in
            let name = "conv2dBackwardData \(conv.label)"
            var random = SplitMix64(name: name)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            return .single(name, .conv2dBackwardData, shape: conv.input) { backend in
                try backend.conv2dBackwardData(
                    try backend.upload(gradient), weight: try backend.upload(weight),
                    inputShape: Shape(conv.input), window: conv.window, groups: conv.groups)
            }
        } + convolutionRejections(.conv2dBackwardData)
    }

    /// Every geometry, an empty batch (all-zero gradient), and the shapes every backend refuses.
    static func conv2dBackwardFilterCases() -> [ConformanceCase] {
        let empty = ConformanceCase.single(
            "conv2dBackwardFilter of an empty batch", .conv2dBackwardFilter,
            shape: [2, 4, 3, 3]
        ) { backend in
            try backend.conv2dBackwardFilter(
                try backend.filled([0, 2, 3, 3], value: 1), input: try backend.filled([0, 4, 5, 5], value: 1),
                weightShape: [2, 4, 3, 3], window: Window2D(kernel: 3), groups: 1)
        }
        return convolutions.map { conv in
            let name = "conv2dBackwardFilter \(conv.label)"
            var random = SplitMix64(name: name)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let input = HostTensor(conv.input, random.floats(Shape(conv.input).count))
            return .single(name, .conv2dBackwardFilter, shape: conv.weight) { backend in
                try backend.conv2dBackwardFilter(
                    try backend.upload(gradient), input: try backend.upload(input),
                    weightShape: Shape(conv.weight), window: conv.window, groups: conv.groups)
            }
        } + [empty] + convolutionRejections(.conv2dBackwardFilter)
    }

    /// Calls of `operation` that every backend refuses: weights that do not fit the input's
    /// channels, the groups or the kernel, an input too small for the window, a rank-3
    /// input, a bias of the wrong length (forward), an output gradient of the wrong shape (backward).
    private static func convolutionRejections(_ operation: BackendOperation) -> [ConformanceCase] {
        // (input, weight, groups, bias, output gradient)
        let refused: [([Int], [Int], Int, [Int]?, [Int])] =
            [
                ([1, 4, 5, 5], [2, 3, 3, 3], 1, nil, [1, 2, 3, 3]),
                ([1, 4, 5, 5], [3, 2, 3, 3], 2, nil, [1, 3, 3, 3]),
                ([1, 4, 5, 5], [2, 4, 2, 2], 1, nil, [1, 2, 3, 3]),
                ([1, 4, 2, 5], [2, 4, 3, 3], 1, nil, [1, 2, 3, 3]),
                ([4, 5, 5], [2, 4, 3, 3], 1, nil, [1, 2, 3, 3]),
            ]
            + (operation == .conv2d
                ? [([1, 4, 5, 5], [2, 4, 3, 3], 1, [3], [1, 2, 3, 3])]
                : [([1, 4, 5, 5], [2, 4, 3, 3], 1, nil, [1, 2, 3, 4])])
        let window = Window2D(kernel: 3)
        return refused.map { input, weight, groups, bias, gradient -> ConformanceCase in
            let name =
                "\(operation) refuses input \(Shape(input).label), weight \(Shape(weight).label), g\(groups)"
                + (bias.map { ", bias \(Shape($0).label)" } ?? "") + ", output gradient \(Shape(gradient).label)"
            switch operation {
            case .conv2d:
                return .rejection(name, operation) { backend in
                    _ = try backend.conv2d(
                        backend.filled(Shape(input), value: 1), weight: backend.filled(Shape(weight), value: 1),
                        bias: try bias.map { try backend.filled(Shape($0), value: 1) }, window: window,
                        groups: groups)
                }
            case .conv2dBackwardData:
                return .rejection(name, operation) { backend in
                    _ = try backend.conv2dBackwardData(
                        backend.filled(Shape(gradient), value: 1),
                        weight: backend.filled(Shape(weight), value: 1),
                        inputShape: Shape(input), window: window, groups: groups)
                }
            default:
                return .rejection(name, operation) { backend in
                    _ = try backend.conv2dBackwardFilter(
                        backend.filled(Shape(gradient), value: 1),
                        input: backend.filled(Shape(input), value: 1),
                        weightShape: Shape(weight), window: window, groups: groups)
                }
            }
        }
    }

    /// A depthwise 1×1 kernel of ones, which passes the noisy copies through unchanged, so
    /// their noise must be the noisy batch's bit for bit; and every geometry on noisy
    /// copies of one sample (chunks starting at a later copy too).
    static func noisyConv2dCases() -> [ConformanceCase] {
        let sample = [1, 3, 7, 9], copies = 5
        let identityName = "noisyConv2d of \(copies) copies \(Shape(sample).label) through a 1×1 identity kernel"
        var identityRandom = SplitMix64(name: identityName)
        let identityInput = HostTensor(sample, identityRandom.floats(Shape(sample).count))
        let identity = ConformanceCase.single(
            identityName, .noisyConv2d, agreement: .exact,
            shape: [copies] + sample.dropFirst()
        ) { backend in
            let batch = try NoisyBatch(
                try backend.upload(identityInput), count: copies, standardDeviation: 0.7,
                stream: RandomStream(seed: 3, stream: 1, offset: 5))
            return try backend.conv2d(
                batch, weight: try backend.filled([3, 1, 1, 1], value: 1), bias: nil,
                window: Window2D(kernel: 1), groups: 3)
        }
        return [identity]
            + convolutions.enumerated().map { index, conv in
                let count = conv.input[0] + 2, firstCopy = UInt64(index % 3)
                let name =
                    "noisyConv2d of \(count) copies \(conv.label)" + (firstCopy > 0 ? " from copy \(firstCopy)" : "")
                var random = SplitMix64(name: name)
                let input = HostTensor(conv.sample, random.floats(Shape(conv.sample).count))
                let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
                let bias = conv.bias ? HostTensor([conv.outputChannels], random.floats(conv.outputChannels)) : nil
                let stream = RandomStream(seed: 9, stream: 2).advanced(by: firstCopy * UInt64(Shape(conv.sample).count))
                return .single(name, .noisyConv2d, shape: [count] + conv.output.dropFirst()) { backend in
                    let batch = try NoisyBatch(
                        try backend.upload(input), count: count, standardDeviation: 0.4, stream: stream)
                    return try backend.conv2d(
                        batch, weight: try backend.upload(weight), bias: try bias.map { try backend.upload($0) },
                        window: conv.window, groups: conv.groups)
                }
            }
    }

    /// Every geometry, through a ReLU of each backward mode in turn.
    static func gatedConv2dBackwardDataCases() -> [ConformanceCase] {
        convolutions.enumerated().map { index, conv in
            let mode = ReLUBackwardMode.allCases[index % ReLUBackwardMode.allCases.count]
            let name = "gatedConv2dBackwardData through a \(mode.rawValue) ReLU \(conv.label)"
            var random = SplitMix64(name: name)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            let reluInput = HostTensor(conv.input, random.floats(Shape(conv.input).count))
            return .single(name, .gatedConv2dBackwardData, shape: conv.input) { backend in
                try backend.conv2dBackwardData(
                    try backend.upload(gradient), weight: try backend.upload(weight),
                    inputShape: Shape(conv.input), window: conv.window, groups: conv.groups,
                    through: ReLUBackwardGate(input: try backend.upload(reluInput), mode: mode))
            }
        }
    }

    /// Every geometry, of the absolute and of the signed gradient in turn: the mean, then
    /// the sum of squared deviations.
    static func conv2dBackwardDataStatisticsCases() -> [ConformanceCase] {
        convolutions.enumerated().map { index, conv in
            let absolute = index % 2 == 0
            let name = "conv2dBackwardDataStatistics\(absolute ? " of |gradient|" : "") \(conv.label)"
            var random = SplitMix64(name: name)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            return .statistics(name, .conv2dBackwardDataStatistics, batch: conv.input) { backend in
                try backend.conv2dBackwardDataStatistics(
                    try backend.upload(gradient), weight: try backend.upload(weight),
                    inputShape: Shape(conv.input), window: conv.window,
                    groups: conv.groups, absolute: absolute)
            }
        }
    }
}
