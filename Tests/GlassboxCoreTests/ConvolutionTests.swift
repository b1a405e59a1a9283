import GlassboxTestSupport
import Testing
@testable import GlassboxCore

/// One convolution geometry: NCHW input, O output channels, groups and a window.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    let batch: Int, channels: Int, height: Int, width: Int
    let outputChannels: Int, groups: Int
    let window: Window2D
    let label: String

    var inputShape: Shape { [batch, channels, height, width] }
    var weightShape: Shape { [outputChannels, channels / groups, window.kernelHeight, window.kernelWidth] }
    var outputShape: Shape {
        // Computed here from the definition, not with Window2D.outputSize.
        let h = (height + window.padTop + window.padBottom - window.dilationHeight * (window.kernelHeight - 1) - 1)
            / window.strideHeight + 1
        let w = (width + window.padLeft + window.padRight - window.dilationWidth * (window.kernelWidth - 1) - 1)
            / window.strideWidth + 1
        return [batch, outputChannels, h, w]
    }
    var testDescription: String { label }
}

/// Direct 7-loop cross-correlation in Float64 (PyTorch conv2d semantics).
func referenceConv2d(_ x: [Double], _ w: [Double], bias: [Double]?, _ c: ConvolutionCase) -> [Double] {
    let out = c.outputShape
    let (oh, ow) = (out[2], out[3])
    let cpg = c.channels / c.groups, opg = c.outputChannels / c.groups
    let win = c.window
    var y = [Double](repeating: 0, count: out.count)
    for n in 0..<c.batch {
        for o in 0..<c.outputChannels {
            let g = o / opg
            for i in 0..<oh {
                for j in 0..<ow {
                    var total = bias?[o] ?? 0
                    for ci in 0..<cpg {
                        let channel = g * cpg + ci
                        for ki in 0..<win.kernelHeight {
                            let h = i * win.strideHeight - win.padTop + ki * win.dilationHeight
                            guard h >= 0, h < c.height else { continue }
                            for kj in 0..<win.kernelWidth {
                                let v = j * win.strideWidth - win.padLeft + kj * win.dilationWidth
                                guard v >= 0, v < c.width else { continue }
                                let xValue = x[((n * c.channels + channel) * c.height + h) * c.width + v]
                                let wValue = w[((o * cpg + ci) * win.kernelHeight + ki) * win.kernelWidth + kj]
                                total += xValue * wValue
                            }
                        }
                    }
                    y[((n * c.outputChannels + o) * oh + i) * ow + j] = total
                }
            }
        }
    }
    return y
}

/// The gradients of L = Σ g·conv(x, w) with respect to x and w, by the same
/// direct loops run as a scatter (the transpose of ``referenceConv2d``).
func referenceConv2dGradients(_ x: [Double], _ w: [Double], _ gy: [Double],
                              _ c: ConvolutionCase) -> (input: [Double], weight: [Double]) {
    let out = c.outputShape
    let (oh, ow) = (out[2], out[3])
    let cpg = c.channels / c.groups, opg = c.outputChannels / c.groups
    let win = c.window
    var gx = [Double](repeating: 0, count: x.count), gw = [Double](repeating: 0, count: w.count)
    for n in 0..<c.batch {
        for o in 0..<c.outputChannels {
            let g = o / opg
            for i in 0..<oh {
                for j in 0..<ow {
                    let gradient = gy[((n * c.outputChannels + o) * oh + i) * ow + j]
                    for ci in 0..<cpg {
                        let channel = g * cpg + ci
                        for ki in 0..<win.kernelHeight {
                            let h = i * win.strideHeight - win.padTop + ki * win.dilationHeight
                            guard h >= 0, h < c.height else { continue }
                            for kj in 0..<win.kernelWidth {
                                let v = j * win.strideWidth - win.padLeft + kj * win.dilationWidth
                                guard v >= 0, v < c.width else { continue }
                                let xIndex = ((n * c.channels + channel) * c.height + h) * c.width + v
                                let wIndex = ((o * cpg + ci) * win.kernelHeight + ki) * win.kernelWidth + kj
                                gx[xIndex] += gradient * w[wIndex]
                                gw[wIndex] += gradient * x[xIndex]
                            }
                        }
                    }
                }
            }
        }
    }
    return (gx, gw)
}

@Suite("Convolution")
struct ConvolutionTests {
    static let cases: [ConvolutionCase] = [
        ConvolutionCase(batch: 1, channels: 1, height: 1, width: 1, outputChannels: 1, groups: 1,
                        window: Window2D(kernel: 1), label: "1×1 everything"),
        ConvolutionCase(batch: 2, channels: 3, height: 7, width: 5, outputChannels: 4, groups: 1,
                        window: Window2D(kernel: 3, padding: 1), label: "3×3 same padding"),
        ConvolutionCase(batch: 2, channels: 4, height: 9, width: 8, outputChannels: 6, groups: 2,
                        window: Window2D(kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                                         padTop: 1, padLeft: 0, padBottom: 2, padRight: 1,
                                         dilationHeight: 1, dilationWidth: 2),
                        label: "grouped, rectangular kernel, asymmetric padding, mixed stride and dilation"),
        ConvolutionCase(batch: 1, channels: 3, height: 11, width: 10, outputChannels: 6, groups: 3,
                        window: Window2D(kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 3,
                                         padTop: 0, padLeft: 2, padBottom: 1, padRight: 0,
                                         dilationHeight: 2, dilationWidth: 2),
                        label: "depthwise with multiplier 2, dilation 2, stride 2×3"),
        ConvolutionCase(batch: 3, channels: 5, height: 6, width: 7, outputChannels: 2, groups: 1,
                        window: Window2D(kernel: 1, stride: 2), label: "1×1 stride 2"),
        ConvolutionCase(batch: 1, channels: 2, height: 4, width: 3, outputChannels: 3, groups: 1,
                        window: Window2D(kernelHeight: 4, kernelWidth: 3), label: "kernel as large as the input"),
        ConvolutionCase(batch: 1, channels: 2, height: 2, width: 2, outputChannels: 1, groups: 1,
                        window: Window2D(kernel: 3, padding: 2), label: "padding larger than the input"),
        ConvolutionCase(batch: 2, channels: 15, height: 24, width: 24, outputChannels: 3, groups: 1,
                        window: Window2D(kernel: 3, padding: 1),
                        label: "patch 135 > depth block, 576 pixels > column block, threaded"),
        ConvolutionCase(batch: 2, channels: 6, height: 20, width: 20, outputChannels: 6, groups: 3,
                        window: Window2D(kernel: 3, padding: 1),
                        label: "grouped and threaded, thread chunks straddle groups"),
        ConvolutionCase(batch: 1, channels: 4, height: 13, width: 12, outputChannels: 6, groups: 2,
                        window: Window2D(kernelHeight: 3, kernelWidth: 2, padTop: 2, padLeft: 1, padBottom: 1, padRight: 0,
                                         dilationHeight: 2, dilationWidth: 1),
                        label: "stride 1, dilated, asymmetric padding, grouped; one sample split into pixel tiles"),
        ConvolutionCase(batch: 2, channels: 3, height: 5, width: 4, outputChannels: 2, groups: 1,
                        window: Window2D(kernel: 1, padding: 1),
                        label: "stride 1 with padding beyond the kernel's span (input gradient by col2im)"),
        ConvolutionCase(batch: 1, channels: 2, height: 6, width: 33, outputChannels: 7, groups: 1,
                        window: Window2D(kernel: 3, padding: 1),
                        label: "rows wider than two slivers: patches by output-row segments, not the wide grid"),
    ]

    @Test("forward matches a direct 7-loop Float64 convolution", arguments: cases)
    func forward(c: ConvolutionCase) throws {
        var rng = SplitMix64(seed: UInt64(c.inputShape.count * 31 + c.weightShape.count))
        let (x, xValues) = try randomTensor(c.inputShape, &rng)
        let (w, wValues) = try randomTensor(c.weightShape, &rng)
        let (bias, biasValues) = try randomTensor([c.outputChannels], &rng)

        let plain = try backend.conv2d(x, weight: w, bias: nil, window: c.window, groups: c.groups)
        #expect(plain.shape == c.outputShape)
        expectClose(try plain.toArray(), referenceConv2d(xValues, wValues, bias: nil, c), "without bias")

        let biased = try backend.conv2d(x, weight: w, bias: bias, window: c.window, groups: c.groups)
        expectClose(try biased.toArray(), referenceConv2d(xValues, wValues, bias: biasValues, c), "with bias")
    }

    @Test("backward data and filter match the direct scatter and satisfy the adjoint identities", arguments: cases)
    func backward(c: ConvolutionCase) throws {
        var rng = SplitMix64(seed: UInt64(c.inputShape.count * 17 + c.weightShape.count + 5))
        let (x, xValues) = try randomTensor(c.inputShape, &rng)
        let (w, wValues) = try randomTensor(c.weightShape, &rng)
        let (g, gValues) = try randomTensor(c.outputShape, &rng)
        let reference = referenceConv2dGradients(xValues, wValues, gValues, c)

        let gx = try backend.conv2dBackwardData(g, weight: w, inputShape: c.inputShape, window: c.window, groups: c.groups)
        #expect(gx.shape == c.inputShape)
        let gxValues = try doubles(gx)
        expectClose(gxValues, reference.input, "backward data")

        let gw = try backend.conv2dBackwardFilter(g, input: x, weightShape: c.weightShape, window: c.window, groups: c.groups)
        #expect(gw.shape == c.weightShape)
        let gwValues = try doubles(gw)
        expectClose(gwValues, reference.weight, "backward filter")

        // ⟨g, conv(x, w)⟩ = ⟨conv_backward_data(g), x⟩ = ⟨conv_backward_filter(g), w⟩, all from the backend.
        let y = try doubles(try backend.conv2d(x, weight: w, bias: nil, window: c.window, groups: c.groups))
        let forward = dot(gValues, y)
        let scale = max(abs(forward), 1)
        #expect(abs(forward - dot(gxValues, xValues)) / scale < 1e-4, "adjoint identity for the input")
        #expect(abs(forward - dot(gwValues, wValues)) / scale < 1e-4, "adjoint identity for the weight")
    }

    /// The direct scatter used above is itself checked by finite differences.
    @Test("finite differences of L = Σ r·conv(x, w) agree with both backward passes")
    func finiteDifferences() throws {
        let c = ConvolutionCase(batch: 2, channels: 4, height: 5, width: 6, outputChannels: 4, groups: 2,
                                window: Window2D(kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                                                 padTop: 2, padLeft: 1, padBottom: 0, padRight: 1,
                                                 dilationHeight: 1, dilationWidth: 3),
                                label: "finite differences")
        var rng = SplitMix64(seed: 99)
        let (x, xValues) = try randomTensor(c.inputShape, &rng)
        let (w, wValues) = try randomTensor(c.weightShape, &rng)
        let (r, rValues) = try randomTensor(c.outputShape, &rng)

        let numericInput = finiteDifferenceGradient(at: xValues) { dot(rValues, referenceConv2d($0, wValues, bias: nil, c)) }
        let numericWeight = finiteDifferenceGradient(at: wValues) { dot(rValues, referenceConv2d(xValues, $0, bias: nil, c)) }
        let reference = referenceConv2dGradients(xValues, wValues, rValues, c)
        expectClose(reference.input, numericInput, tolerance: 1e-7, "reference scatter, input")
        expectClose(reference.weight, numericWeight, tolerance: 1e-7, "reference scatter, weight")

        let gx = try backend.conv2dBackwardData(r, weight: w, inputShape: c.inputShape, window: c.window, groups: c.groups)
        let gw = try backend.conv2dBackwardFilter(r, input: x, weightShape: c.weightShape, window: c.window, groups: c.groups)
        expectClose(try gx.toArray(), numericInput, "backend, input")
        expectClose(try gw.toArray(), numericWeight, "backend, weight")
    }

    /// The forward convolution reads its patches in place from a padded, phase-split
    /// copy of the image; packed from any block into slivers (as the portable kernel
    /// and the filter gradient do) they must equal a directly built im2col matrix.
    @Test("patches of the padded image equal a direct im2col, from any block", arguments: [cases[2], cases[3], cases[4], cases[9]])
    func paddedImagePatches(c: ConvolutionCase) throws {
        let plan = try ConvolutionPlan(input: c.inputShape, weight: c.weightShape, window: c.window, groups: c.groups)
        var rng = SplitMix64(seed: 7)
        let input = rng.floats(c.inputShape.count)
        let (sample, group) = (c.batch - 1, c.groups - 1)
        // Row (channel of the group, kernel row, kernel column), column (oh, ow).
        var direct = [Float](repeating: 0, count: plan.columnCount)
        let w = c.window
        for row in 0..<plan.patchSize {
            let channel = group * plan.channelsPerGroup + row / (w.kernelHeight * w.kernelWidth)
            let ki = row / w.kernelWidth % w.kernelHeight, kj = row % w.kernelWidth
            for pixel in 0..<plan.outputPixels {
                let ih = pixel / plan.outputWidth * w.strideHeight - w.padTop + ki * w.dilationHeight
                let iw = pixel % plan.outputWidth * w.strideWidth - w.padLeft + kj * w.dilationWidth
                guard ih >= 0, ih < c.height, iw >= 0, iw < c.width else { continue }
                direct[row * plan.outputPixels + pixel] = input[((sample * c.channels + channel) * c.height + ih) * c.width + iw]
            }
        }
        let padded = PaddedImage(plan), sliverWidth = 16
        var image = [Float](repeating: .nan, count: padded.count)
        let rows = (plan.patchSize / 3)..<plan.patchSize, columns = 1..<max(1, plan.outputPixels - 2)
        var packed = [Float](repeating: .nan, count: rows.count * (columns.count + sliverWidth))
        input.withUnsafeBufferPointer { input in
            image.withUnsafeMutableBufferPointer { image in
                padded.fill(image.baseAddress!, from: input.baseAddress!, sample: sample, group: group, outputRows: 0..<plan.outputHeight)
                packed.withUnsafeMutableBufferPointer {
                    padded.patches(of: image.baseAddress!).pack(rows: rows, columns: columns, sliverWidth: sliverWidth, into: $0.baseAddress!)
                }
            }
        }
        for (p, row) in rows.enumerated() {
            for (j, column) in columns.enumerated() {
                let place = (j / sliverWidth) * sliverWidth * rows.count + p * sliverWidth + j % sliverWidth
                #expect(packed[place] == direct[row * plan.outputPixels + column], "patch row \(row), column \(column)")
            }
        }
    }

    @Test("hand-made 3×3 input, 2×2 kernel")
    func handMade() throws {
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,-1]] → y[i][j] = x[i][j] − x[i+1][j+1] = −4.
        let x = try makeTensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3])
        let w = try makeTensor([1, 0, 0, -1], [1, 1, 2, 2])
        let bias = try makeTensor([10], [1])
        let y = try backend.conv2d(x, weight: w, bias: bias, window: Window2D(kernel: 2), groups: 1)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(try y.toArray() == [6, 6, 6, 6])
    }

    @Test("bad shapes and windows throw instead of crashing")
    func errors() throws {
        let x = try backend.filled([1, 4, 5, 5], value: 1)
        let w = try backend.filled([2, 4, 3, 3], value: 1)
        let window = Window2D(kernel: 3)
        expectShapeMismatch("rank-3 input") {
            _ = try backend.conv2d(try backend.filled([4, 5, 5], value: 1), weight: w, bias: nil, window: window, groups: 1)
        }
        expectShapeMismatch("weight channels ≠ input channels") {
            _ = try backend.conv2d(x, weight: try backend.filled([2, 3, 3, 3], value: 1), bias: nil, window: window, groups: 1)
        }
        expectShapeMismatch("channels not divisible by groups") {
            _ = try backend.conv2d(x, weight: try backend.filled([3, 4, 3, 3], value: 1), bias: nil, window: window, groups: 3)
        }
        expectShapeMismatch("output channels not divisible by groups") {
            _ = try backend.conv2d(x, weight: try backend.filled([3, 2, 3, 3], value: 1), bias: nil, window: window, groups: 2)
        }
        expectShapeMismatch("zero groups") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: window, groups: 0)
        }
        expectShapeMismatch("weight kernel ≠ window kernel") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 2), groups: 1)
        }
        expectShapeMismatch("window does not fit") {
            _ = try backend.conv2d(x, weight: try backend.filled([2, 4, 7, 7], value: 1), bias: nil,
                                   window: Window2D(kernel: 7), groups: 1)
        }
        expectShapeMismatch("dilated window does not fit") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 3, dilation: 3), groups: 1)
        }
        expectInvalidArgument("zero stride") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 3, stride: 0), groups: 1)
        }
        expectInvalidArgument("negative padding") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 3, padding: -1), groups: 1)
        }
        expectInvalidArgument("zero dilation") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 3, dilation: 0), groups: 1)
        }
        expectShapeMismatch("bias of the wrong length") {
            _ = try backend.conv2d(x, weight: w, bias: try backend.filled([3], value: 0), window: window, groups: 1)
        }
        expectShapeMismatch("bias of the wrong rank") {
            _ = try backend.conv2d(x, weight: w, bias: try backend.filled([1, 2], value: 0), window: window, groups: 1)
        }
        expectShapeMismatch("backward data with a wrong output gradient") {
            _ = try backend.conv2dBackwardData(try backend.filled([1, 2, 3, 2], value: 1), weight: w,
                                               inputShape: x.shape, window: window, groups: 1)
        }
        expectShapeMismatch("backward filter with a wrong output gradient") {
            _ = try backend.conv2dBackwardFilter(try backend.filled([1, 3, 3, 3], value: 1), input: x,
                                                 weightShape: w.shape, window: window, groups: 1)
        }
        expectShapeMismatch("backward filter with a weight shape that does not fit") {
            _ = try backend.conv2dBackwardFilter(try backend.filled([1, 2, 3, 3], value: 1), input: x,
                                                 weightShape: [2, 3, 3, 3], window: window, groups: 1)
        }
    }
}
