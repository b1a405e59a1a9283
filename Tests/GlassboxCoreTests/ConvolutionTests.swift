import GlassboxConformance
import Testing

@testable import GlassboxCore

/// One convolution geometry of the patch tests: NCHW input, O output channels, groups and a window.
struct PatchGeometry: Sendable, CustomTestStringConvertible {
    let input: Shape, outputChannels: Int, groups: Int
    let window: Window2D
    let label: String

    var weight: Shape { [outputChannels, input[1] / groups, window.kernelHeight, window.kernelWidth] }
    var testDescription: String { label }
}

/// The CPU convolution's own machinery, which the conformance suite sees only through
/// its results: patches read in place from a padded, phase-split image and packed into
/// slivers, checked against the im2col matrix that a convolution with one-hot kernels
/// (on the reference backend) writes out; a hand-computed example; and the shapes and
/// windows the CPU API refuses. Every geometry's values against the reference are the
/// conformance suite's (`Sources/GlassboxConformance/ConvolutionCases.swift`).
@Suite("Convolution")
struct ConvolutionTests {
    static let patchGeometries: [PatchGeometry] = [
        PatchGeometry(
            input: [2, 4, 9, 8], outputChannels: 6, groups: 2,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                padTop: 1, padLeft: 0, padBottom: 2, padRight: 1, dilationHeight: 1, dilationWidth: 2),
            label: "grouped, rectangular kernel, asymmetric padding, mixed stride and dilation"),
        PatchGeometry(
            input: [1, 3, 11, 10], outputChannels: 6, groups: 3,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 3,
                padTop: 0, padLeft: 2, padBottom: 1, padRight: 0, dilationHeight: 2, dilationWidth: 2),
            label: "depthwise with multiplier 2, dilation 2, stride 2×3"),
        PatchGeometry(
            input: [3, 5, 6, 7], outputChannels: 2, groups: 1, window: Window2D(kernel: 1, stride: 2),
            label: "1×1 stride 2"),
        PatchGeometry(
            input: [1, 4, 13, 12], outputChannels: 6, groups: 2,
            window: Window2D(
                kernelHeight: 3, kernelWidth: 2, padTop: 2, padLeft: 1, padBottom: 1, padRight: 0,
                dilationHeight: 2, dilationWidth: 1),
            label: "stride 1, dilated, asymmetric padding, grouped"),
    ]

    /// The im2col matrix of one sample and group: row (channel of the group, kernel row,
    /// kernel column), column (output row, output column). A convolution of the group's
    /// channels whose kernel r is one-hot at patch entry r writes exactly that matrix.
    static func im2col(_ input: [Float], _ g: PatchGeometry, sample: Int, group: Int) throws -> [Float] {
        let reference = referenceBackend
        let channelsPerGroup = g.input[1] / g.groups
        let x = try reference.slice(
            reference.slice(reference.upload(input, shape: g.input), axis: 0, range: sample..<(sample + 1)),
            axis: 1, range: (group * channelsPerGroup)..<((group + 1) * channelsPerGroup))
        let patchSize = channelsPerGroup * g.window.kernelHeight * g.window.kernelWidth
        let identity = (0..<(patchSize * patchSize)).map { Float($0 % (patchSize + 1) == 0 ? 1 : 0) }
        let kernels = try reference.upload(
            identity, shape: [patchSize, channelsPerGroup, g.window.kernelHeight, g.window.kernelWidth])
        return try reference.conv2d(x, weight: kernels, bias: nil, window: g.window, groups: 1).toArray()
    }

    /// The forward convolution reads its patches in place from a padded, phase-split
    /// copy of the image; packed from any block into slivers (as the portable kernel
    /// and the filter gradient do) they must equal the im2col matrix.
    @Test("patches of the padded image equal the im2col matrix, from any block", arguments: patchGeometries)
    func paddedImagePatches(g: PatchGeometry) throws {
        let plan = try ConvolutionPlan(input: g.input, weight: g.weight, window: g.window, groups: g.groups)
        var rng = SplitMix64(seed: 7)
        let input = rng.floats(g.input.count)
        let (sample, group) = (g.input[0] - 1, g.groups - 1)
        let direct = try Self.im2col(input, g, sample: sample, group: group)
        #expect(direct.count == plan.columnCount)
        let padded = PaddedImage(plan), sliverWidth = 16
        var image = [Float](repeating: .nan, count: padded.count)
        let rows = (plan.patchSize / 3)..<plan.patchSize, columns = 1..<max(1, plan.outputPixels - 2)
        var packed = [Float](repeating: .nan, count: rows.count * (columns.count + sliverWidth))
        input.withUnsafeBufferPointer { input in
            image.withUnsafeMutableBufferPointer { image in
                padded.fill(
                    image.baseAddress!, from: input.baseAddress!, sample: sample, group: group,
                    outputRows: 0..<plan.outputHeight)
                packed.withUnsafeMutableBufferPointer {
                    padded.patches(of: image.baseAddress!).pack(
                        rows: rows, columns: columns, sliverWidth: sliverWidth, into: $0.baseAddress!)
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
            _ = try backend.conv2d(
                try backend.filled([4, 5, 5], value: 1), weight: w, bias: nil, window: window, groups: 1)
        }
        expectShapeMismatch("weight channels ≠ input channels") {
            _ = try backend.conv2d(
                x, weight: try backend.filled([2, 3, 3, 3], value: 1), bias: nil, window: window, groups: 1)
        }
        expectShapeMismatch("channels not divisible by groups") {
            _ = try backend.conv2d(
                x, weight: try backend.filled([3, 4, 3, 3], value: 1), bias: nil, window: window, groups: 3)
        }
        expectShapeMismatch("output channels not divisible by groups") {
            _ = try backend.conv2d(
                x, weight: try backend.filled([3, 2, 3, 3], value: 1), bias: nil, window: window, groups: 2)
        }
        expectShapeMismatch("zero groups") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: window, groups: 0)
        }
        expectShapeMismatch("weight kernel ≠ window kernel") {
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 2), groups: 1)
        }
        expectShapeMismatch("window does not fit") {
            _ = try backend.conv2d(
                x, weight: try backend.filled([2, 4, 7, 7], value: 1), bias: nil,
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
            _ = try backend.conv2dBackwardData(
                try backend.filled([1, 2, 3, 2], value: 1), weight: w,
                inputShape: x.shape, window: window, groups: 1)
        }
        expectShapeMismatch("backward filter with a wrong output gradient") {
            _ = try backend.conv2dBackwardFilter(
                try backend.filled([1, 3, 3, 3], value: 1), input: x,
                weightShape: w.shape, window: window, groups: 1)
        }
        expectShapeMismatch("backward filter with a weight shape that does not fit") {
            _ = try backend.conv2dBackwardFilter(
                try backend.filled([1, 2, 3, 3], value: 1), input: x,
                weightShape: [2, 3, 3, 3], window: window, groups: 1)
        }
    }
}
