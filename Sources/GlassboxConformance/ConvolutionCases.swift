import GlassboxCore

extension ConformanceSuite {
    /// One 2-D convolution: input shape, output channels, window, groups, bias.
    private struct Convolution {
        let input: [Int]
        let outputChannels: Int
        let window: Window2D
        let groups: Int
        let bias: Bool

        var weight: [Int] { [outputChannels, input[1] / groups, window.kernelHeight, window.kernelWidth] }
        var output: [Int] { window.outputShape(input, channels: outputChannels) }
        var label: String {
            "\(Shape(input).label) → \(outputChannels) \(window.label) g\(groups)" + (bias ? " +bias" : "")
        }
    }

    /// Stride, asymmetric padding, dilation, groups (depthwise too), bias, rectangular
    /// kernels and windows lying wholly in the padding.
    private static let convolutions: [Convolution] = [
        Convolution(input: [1, 1, 1, 1], outputChannels: 1, window: Window2D(kernel: 1), groups: 1, bias: false),
        Convolution(input: [2, 3, 7, 7], outputChannels: 4, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: true),
        Convolution(input: [2, 4, 7, 7], outputChannels: 6,
                    window: Window2D(kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                                     padTop: 1, padLeft: 0, padBottom: 2, padRight: 1),
                    groups: 2, bias: true),
        Convolution(input: [1, 3, 9, 11], outputChannels: 5, window: Window2D(kernel: 3, padding: 2, dilation: 2),
                    groups: 1, bias: false),
        Convolution(input: [1, 5, 8, 8], outputChannels: 5, window: Window2D(kernel: 3, padding: 1), groups: 5, bias: true),
        Convolution(input: [2, 6, 13, 13], outputChannels: 12, window: Window2D(kernel: 3, stride: 2, padding: 1),
                    groups: 6, bias: false),
        Convolution(input: [1, 2, 33, 33], outputChannels: 3,
                    window: Window2D(kernelHeight: 5, kernelWidth: 5, strideHeight: 3, strideWidth: 3,
                                     padTop: 2, padLeft: 1, padBottom: 0, padRight: 2),
                    groups: 1, bias: true),
        Convolution(input: [1, 1, 65, 65], outputChannels: 1, window: Window2D(kernel: 7, stride: 2, padding: 3),
                    groups: 1, bias: false),
        Convolution(input: [1, 33, 9, 9], outputChannels: 65, window: Window2D(kernel: 3, padding: 1), groups: 1, bias: true),
        Convolution(input: [3, 7, 5, 5], outputChannels: 3, window: Window2D(kernel: 1), groups: 1, bias: false),
        Convolution(input: [1, 4, 6, 10], outputChannels: 2,
                    window: Window2D(kernelHeight: 3, kernelWidth: 1, strideHeight: 1, strideWidth: 2,
                                     padTop: 1, padBottom: 1, dilationHeight: 2),
                    groups: 1, bias: true),
        Convolution(input: [2, 2, 7, 7], outputChannels: 2, window: Window2D(kernel: 2, stride: 3, padding: 2),
                    groups: 1, bias: true),
        Convolution(input: [1, 8, 127, 1], outputChannels: 4,
                    window: Window2D(kernelHeight: 5, kernelWidth: 1, strideHeight: 2, padTop: 2, padBottom: 2),
                    groups: 4, bias: false),
        Convolution(input: [1, 3, 1, 127], outputChannels: 3,
                    window: Window2D(kernelHeight: 1, kernelWidth: 3, strideWidth: 4, dilationWidth: 3),
                    groups: 3, bias: true),
    ]

    /// `conv2d`, `conv2dBackwardData` and `conv2dBackwardFilter` on every geometry, and
    /// the fused operations: `conv2d` of a noisy batch (chunks starting at a later
    /// sample too), `conv2dBackwardData` through a ReLU gate (each geometry with one
    /// mode, in turn) and `conv2dBackwardDataStatistics` (mean, then the sum of squared
    /// deviations; absolute and signed in turn).
    static func convolutionCases() -> [ConformanceCase] {
        let forward = convolutions.map { conv in
            let name = "conv2d \(conv.label)"
            var random = SplitMix64(name: name)
            let input = HostTensor(conv.input, random.floats(Shape(conv.input).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            let bias = conv.bias ? HostTensor([conv.outputChannels], random.floats(conv.outputChannels)) : nil
            return ConformanceCase.single(name, "conv2d", tolerance: Tolerance.accumulation, shape: conv.output) { backend in
                try backend.conv2d(try backend.upload(input), weight: try backend.upload(weight),
                                   bias: try bias.map { try backend.upload($0) }, window: conv.window, groups: conv.groups)
            }
        }
        let backwardData = convolutions.map { conv in
            let name = "conv2d backward-data \(conv.label)"
            var random = SplitMix64(name: name)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            return ConformanceCase.single(name, "conv2dBackwardData", tolerance: Tolerance.accumulation,
                                          shape: conv.input) { backend in
                try backend.conv2dBackwardData(try backend.upload(gradient), weight: try backend.upload(weight),
                                               inputShape: Shape(conv.input), window: conv.window, groups: conv.groups)
            }
        }
        let backwardFilter = convolutions.map { conv in
            let name = "conv2d backward-filter \(conv.label)"
            var random = SplitMix64(name: name)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let input = HostTensor(conv.input, random.floats(Shape(conv.input).count))
            return ConformanceCase.single(name, "conv2dBackwardFilter", tolerance: Tolerance.accumulation,
                                          shape: conv.weight) { backend in
                try backend.conv2dBackwardFilter(try backend.upload(gradient), input: try backend.upload(input),
                                                 weightShape: Shape(conv.weight), window: conv.window, groups: conv.groups)
            }
        }
        return forward + backwardData + backwardFilter + fusedConvolutionCases()
    }

    private static func fusedConvolutionCases() -> [ConformanceCase] {
        // A depthwise 1×1 kernel of ones passes the noisy copies through unchanged, so their
        // noise must be the noisy batch's bit for bit.
        let sample = [1, 3, 7, 9], copies = 5
        let identityName = "conv2d of \(copies) noisy copies \(Shape(sample).label) through a 1×1 identity kernel"
        var identityRandom = SplitMix64(name: identityName)
        let identityInput = HostTensor(sample, identityRandom.floats(Shape(sample).count))
        let identity = ConformanceCase.single(identityName, "conv2d", exact: true, shape: [copies] + sample.dropFirst()) { backend in
            let batch = try NoisyBatch(try backend.upload(identityInput), count: copies, standardDeviation: 0.7,
                                       stream: RandomStream(seed: 3, stream: 1, offset: 5))
            return try backend.conv2d(batch, weight: try backend.filled([3, 1, 1, 1], value: 1), bias: nil,
                                      window: Window2D(kernel: 1), groups: 3)
        }
        return [identity] + convolutions.enumerated().flatMap { index, conv -> [ConformanceCase] in
            let modes = ReLUBackwardMode.allCases
            let sample = [1] + conv.input.dropFirst(), count = conv.input[0] + 2, firstSample = UInt64(index % 3)
            let noisyName = "conv2d of \(count) noisy copies \(conv.label)" + (firstSample > 0 ? " from copy \(firstSample)" : "")
            var random = SplitMix64(name: noisyName)
            let input = HostTensor(sample, random.floats(Shape(sample).count))
            let weight = HostTensor(conv.weight, random.floats(Shape(conv.weight).count))
            let bias = conv.bias ? HostTensor([conv.outputChannels], random.floats(conv.outputChannels)) : nil
            let stream = RandomStream(seed: 9, stream: 2).advanced(by: firstSample * UInt64(Shape(sample).count))
            let noisy = ConformanceCase.single(noisyName, "conv2d", tolerance: Tolerance.accumulation,
                                               shape: [count] + conv.output.dropFirst()) { backend in
                let batch = try NoisyBatch(try backend.upload(input), count: count, standardDeviation: 0.4, stream: stream)
                return try backend.conv2d(batch, weight: try backend.upload(weight), bias: try bias.map { try backend.upload($0) },
                                          window: conv.window, groups: conv.groups)
            }

            let mode = modes[index % modes.count]
            let gatedName = "conv2d backward-data through a \(mode.rawValue) ReLU \(conv.label)"
            random = SplitMix64(name: gatedName)
            let gradient = HostTensor(conv.output, random.floats(Shape(conv.output).count))
            let reluInput = HostTensor(conv.input, random.floats(Shape(conv.input).count))
            let gated = ConformanceCase.single(gatedName, "conv2dBackwardData", tolerance: Tolerance.accumulation,
                                               shape: conv.input) { backend in
                try backend.conv2dBackwardData(try backend.upload(gradient), weight: try backend.upload(weight),
                                               inputShape: Shape(conv.input), window: conv.window, groups: conv.groups,
                                               through: ReLUBackwardGate(input: try backend.upload(reluInput), mode: mode))
            }

            let absolute = index % 2 == 0
            let statisticsName = "conv2d backward-data statistics\(absolute ? " of |gradient|" : "") \(conv.label)"
            return [noisy, gated, .statistics(statisticsName, "conv2dBackwardDataStatistics", batch: conv.input) { backend in
                try backend.conv2dBackwardDataStatistics(try backend.upload(gradient), weight: try backend.upload(weight),
                                                         inputShape: Shape(conv.input), window: conv.window,
                                                         groups: conv.groups, absolute: absolute)
            }]
        }
    }
}
