import GlassboxCore
import GlassboxReference
import GlassboxTestSupport
import Testing

@testable import GlassboxConformance

/// The reference convolution and its two gradients, by means independent of its loops:
/// small examples computed by hand (each of stride, padding, asymmetric padding,
/// dilation, groups, bias and a window wholly in the padding pinned by one), both
/// gradients against central differences of the forward pass on the suite's smaller
/// geometries, and the adjoint identities ⟨g, conv(x, w)⟩ = ⟨∂x, x⟩ = ⟨∂w, w⟩ on every
/// geometry of the conformance suite; and the refusals of ``ConvolutionPlan``.
@Suite("Reference convolution")
struct ConvolutionReferenceTests {
    /// The convolution, input gradient and weight gradient of one hand-computed example.
    struct Example: Sendable, CustomTestStringConvertible {
        let label: String
        let input: [Float], inputShape: Shape
        let weight: [Float], weightShape: Shape
        var bias: [Float]? = nil
        var window = Window2D(kernel: 1)
        var groups = 1
        /// The expected output and its shape.
        let output: [Float], outputShape: Shape
        /// An output gradient, and the input and weight gradients it gives.
        let gradient: [Float], inputGradient: [Float], weightGradient: [Float]

        var testDescription: String { label }
    }

    static let examples: [Example] = [
        // y[i][j] = Σ x[i+a][j+b]·w[a][b]; ∂x spreads each kernel tap; ∂w sums the 2×2 blocks of x.
        Example(
            label: "3×3 input, 2×2 kernel", input: (1...9).map(Float.init), inputShape: [1, 1, 3, 3],
            weight: [1, 2, 3, 4], weightShape: [1, 1, 2, 2], window: Window2D(kernel: 2),
            output: [37, 47, 67, 77], outputShape: [1, 1, 2, 2],
            gradient: [1, 1, 1, 1], inputGradient: [1, 3, 2, 4, 10, 6, 3, 7, 4], weightGradient: [12, 16, 24, 28]),
        // Each output is the sum of the inputs its padded 3×3 window covers, two apart.
        Example(
            label: "stride 2, padding 1", input: (1...9).map(Float.init), inputShape: [1, 1, 3, 3],
            weight: Array(repeating: 1, count: 9), weightShape: [1, 1, 3, 3],
            window: Window2D(kernel: 3, stride: 2, padding: 1),
            output: [12, 16, 24, 28], outputShape: [1, 1, 2, 2],
            gradient: [1, 10, 100, 1000], inputGradient: [1, 11, 10, 101, 1111, 1010, 100, 1100, 1000],
            weightGradient: [5000, 6400, 500, 8020, 9731, 802, 50, 64, 5]),
        // The taps are the corners of the 3×3 input.
        Example(
            label: "dilation 2", input: (1...9).map(Float.init), inputShape: [1, 1, 3, 3],
            weight: [1, 10, 100, 1000], weightShape: [1, 1, 2, 2], window: Window2D(kernel: 2, dilation: 2),
            output: [9731], outputShape: [1, 1, 1, 1],
            gradient: [2], inputGradient: [2, 0, 20, 0, 0, 0, 200, 0, 2000], weightGradient: [2, 6, 14, 18]),
        // One row of padding on top, one column on the right.
        Example(
            label: "asymmetric padding", input: [1, 2, 3, 4], inputShape: [1, 1, 2, 2],
            weight: [1, 1, 1, 1], weightShape: [1, 1, 2, 2],
            window: Window2D(kernelHeight: 2, kernelWidth: 2, padTop: 1, padLeft: 0, padBottom: 0, padRight: 1),
            output: [3, 2, 10, 6], outputShape: [1, 1, 2, 2],
            gradient: [1, 0, 0, 1], inputGradient: [1, 2, 0, 1], weightGradient: [2, 0, 5, 2]),
        // Depthwise with multiplier 2: outputs 0, 1 read channel 0 only, outputs 2, 3 channel 1 only.
        Example(
            label: "two groups", input: [1, 2, 3, 4], inputShape: [1, 2, 1, 2],
            weight: [1, -1, 2, -2], weightShape: [4, 1, 1, 1], groups: 2,
            output: [1, 2, -1, -2, 6, 8, -6, -8], outputShape: [1, 4, 1, 2],
            gradient: [1, 1, 0, 0, 0, 0, 1, 1], inputGradient: [1, 1, -2, -2], weightGradient: [3, 0, 0, 7]),
        // One group: every output channel mixes both input channels.
        Example(
            label: "one group mixes channels", input: [1, 2, 3, 4], inputShape: [1, 2, 1, 2],
            weight: [1, 1, 1, -1], weightShape: [2, 2, 1, 1],
            output: [4, 6, -2, -2], outputShape: [1, 2, 1, 2],
            gradient: [1, 0, 0, 1], inputGradient: [1, 1, 1, -1], weightGradient: [1, 3, 2, 4]),
        // A 1×2 kernel stepping two columns along a row.
        Example(
            label: "rectangular kernel, stride 2 along the width", input: [1, 2, 3, 4, 5], inputShape: [1, 1, 1, 5],
            weight: [1, 10], weightShape: [1, 1, 1, 2],
            window: Window2D(kernelHeight: 1, kernelWidth: 2, strideWidth: 2),
            output: [21, 43], outputShape: [1, 1, 1, 2],
            gradient: [1, 2], inputGradient: [1, 10, 2, 20, 0], weightGradient: [7, 10]),
        // Two samples, a bias; the weight gradient sums over the batch.
        Example(
            label: "batch of two with a bias", input: [3, 5], inputShape: [2, 1, 1, 1],
            weight: [2], weightShape: [1, 1, 1, 1], bias: [1],
            output: [7, 11], outputShape: [2, 1, 1, 1],
            gradient: [1, 2], inputGradient: [2, 4], weightGradient: [13]),
        // Padding 1 around one pixel: eight windows lie wholly in the padding and give the bias.
        Example(
            label: "windows wholly in the padding", input: [5], inputShape: [1, 1, 1, 1],
            weight: [2], weightShape: [1, 1, 1, 1], bias: [1], window: Window2D(kernel: 1, padding: 1),
            output: [1, 1, 1, 1, 11, 1, 1, 1, 1], outputShape: [1, 1, 3, 3],
            gradient: [9, 9, 9, 9, 3, 9, 9, 9, 9], inputGradient: [6], weightGradient: [15]),
    ]

    @Test("hand-computed examples: forward, input gradient and weight gradient", arguments: examples)
    func handComputed(example e: Example) throws {
        let x = try tensor(e.input, e.inputShape), w = try tensor(e.weight, e.weightShape)
        let y = try reference.conv2d(
            x, weight: w, bias: try e.bias.map { try tensor($0, [$0.count]) }, window: e.window,
            groups: e.groups)
        #expect(y.shape == e.outputShape)
        #expect(try y.toArray() == e.output)
        let g = try tensor(e.gradient, e.outputShape)
        #expect(
            try reference.conv2dBackwardData(g, weight: w, inputShape: e.inputShape, window: e.window, groups: e.groups)
                .toArray() == e.inputGradient)
        #expect(
            try reference.conv2dBackwardFilter(
                g, input: x, weightShape: e.weightShape, window: e.window, groups: e.groups
            )
            .toArray() == e.weightGradient)
    }

    /// The geometries of the conformance suite small enough for finite differences (two
    /// convolutions per input and weight element): among them grouped ones with asymmetric
    /// padding and mixed stride and dilation, a kernel as large as the input, padding wider
    /// than the input.
    static let differenceGeometries = BackendOperation.convolutions.filter {
        Shape($0.input).count + Shape($0.weight).count <= 450
    }

    /// L = Σ r·conv(x, w) is linear in x and in w, so a central difference with a step of
    /// 0.5 is its derivative up to the Float32 rounding of the outputs the step changes.
    @Test("both gradients equal central differences of L = Σ r·conv(x, w)", arguments: differenceGeometries)
    func finiteDifferences(conv: ConvolutionGeometry) throws {
        var random = SplitMix64(name: "finite differences \(conv.label)")
        let x = gridFloats(Shape(conv.input).count, &random), w = gridFloats(Shape(conv.weight).count, &random)
        let r = gridFloats(Shape(conv.output).count, &random)
        func loss(_ x: [Float], _ w: [Float]) throws -> Double {
            let y = try reference.conv2d(
                try tensor(x, Shape(conv.input)), weight: try tensor(w, Shape(conv.weight)), bias: nil,
                window: conv.window, groups: conv.groups)
            return dot(r, try y.toArray())
        }
        let numericInput = try centralDifferences(at: x, step: 0.5) { try loss($0, w) }
        let numericWeight = try centralDifferences(at: w, step: 0.5) { try loss(x, $0) }
        let gradient = try tensor(r, Shape(conv.output))
        let dx = try reference.conv2dBackwardData(
            gradient, weight: try tensor(w, Shape(conv.weight)), inputShape: Shape(conv.input),
            window: conv.window, groups: conv.groups)
        let dw = try reference.conv2dBackwardFilter(
            gradient, input: try tensor(x, Shape(conv.input)), weightShape: Shape(conv.weight),
            window: conv.window, groups: conv.groups)
        expectClose(try dx.toArray(), numericInput, tolerance: 1e-7, "input gradient")
        expectClose(try dw.toArray(), numericWeight, tolerance: 1e-7, "weight gradient")
    }

    /// Both gradients are adjoints of the forward map, so the three inner products agree
    /// up to the Float32 rounding of each result (2⁻²⁴ of Σ|terms|).
    @Test("adjoint identities on every geometry of the conformance suite", arguments: BackendOperation.convolutions)
    func adjointIdentities(conv: ConvolutionGeometry) throws {
        var random = SplitMix64(name: "adjoint \(conv.label)")
        let x = random.floats(Shape(conv.input).count), w = random.floats(Shape(conv.weight).count)
        let g = random.floats(Shape(conv.output).count)
        let input = try tensor(x, Shape(conv.input)), weight = try tensor(w, Shape(conv.weight))
        let gradient = try tensor(g, Shape(conv.output))
        let y = try reference.conv2d(input, weight: weight, bias: nil, window: conv.window, groups: conv.groups)
            .toArray()
        let dx = try reference.conv2dBackwardData(
            gradient, weight: weight, inputShape: Shape(conv.input), window: conv.window,
            groups: conv.groups
        ).toArray()
        let dw = try reference.conv2dBackwardFilter(
            gradient, input: input, weightShape: Shape(conv.weight), window: conv.window,
            groups: conv.groups
        ).toArray()
        let scale = max(absoluteDot(g, y), absoluteDot(dx, x), absoluteDot(dw, w), .leastNormalMagnitude)
        #expect(abs(dot(g, y) - dot(dx, x)) / scale < 1e-6, "⟨g, conv(x, w)⟩ = ⟨∂x, x⟩")
        #expect(abs(dot(g, y) - dot(dw, w)) / scale < 1e-6, "⟨g, conv(x, w)⟩ = ⟨∂w, w⟩")
    }

    @Test("refuses what the convolution plan refuses")
    func refusals() throws {
        let window = Window2D(kernel: 3)
        // (input, weight, groups, window)
        let refused: [(Shape, Shape, Int, Window2D)] = [
            ([4, 5, 5], [2, 4, 3, 3], 1, window), ([1, 4, 5, 5], [2, 3, 3, 3], 1, window),
            ([1, 4, 5, 5], [3, 4, 3, 3], 3, window),
            ([1, 4, 5, 5], [3, 2, 3, 3], 2, window), ([1, 4, 5, 5], [2, 4, 3, 3], 0, window),
            ([1, 4, 5, 5], [2, 4, 3, 3], 1, Window2D(kernel: 2)),
            ([1, 4, 5, 5], [2, 4, 7, 7], 1, Window2D(kernel: 7)),
            ([1, 4, 5, 5], [2, 4, 3, 3], 1, Window2D(kernel: 3, dilation: 3)),
            ([1, 4, 5, 5], [2, 4, 3, 3], 1, Window2D(kernel: 3, stride: 0)),
            ([1, 4, 5, 5], [2, 4, 3, 3], 1, Window2D(kernel: 3, padding: -1)),
        ]
        for (input, weight, groups, window) in refused {
            let plan = { _ = try ConvolutionPlan(input: input, weight: weight, window: window, groups: groups) }
            expectRefusal(as: plan, "conv2d of \(input) by \(weight)") {
                _ = try reference.conv2d(
                    reference.filled(input, value: 1), weight: reference.filled(weight, value: 1), bias: nil,
                    window: window, groups: groups)
            }
        }
        let plan = try ConvolutionPlan(input: [1, 4, 5, 5], weight: [2, 4, 3, 3], window: window, groups: 1)
        let x = try reference.filled([1, 4, 5, 5], value: 1), w = try reference.filled([2, 4, 3, 3], value: 1)
        expectRefusal(as: { try plan.checkBias([3]) }, "bias of the wrong length") {
            _ = try reference.conv2d(x, weight: w, bias: reference.filled([3], value: 0), window: window, groups: 1)
        }
        expectRefusal(as: { try plan.checkGradient([1, 2, 3, 2]) }, "input gradient from a wrong output gradient") {
            _ = try reference.conv2dBackwardData(
                reference.filled([1, 2, 3, 2], value: 1), weight: w, inputShape: x.shape,
                window: window, groups: 1)
        }
        expectRefusal(as: { try plan.checkGradient([1, 3, 3, 3]) }, "weight gradient from a wrong output gradient") {
            _ = try reference.conv2dBackwardFilter(
                reference.filled([1, 3, 3, 3], value: 1), input: x, weightShape: w.shape,
                window: window, groups: 1)
        }
    }
}
