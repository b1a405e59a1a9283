import GlassboxCore
import GlassboxTestSupport
import Testing
@testable import GlassboxOpenCL

/// One matrix-product size; the sizes straddle the 64-wide tiles and 16-deep slices of `kernel_gemm`.
struct ProductSize: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int, k: Int
    var testDescription: String { "m=\(m) n=\(n) k=\(k)" }
}

/// One convolution geometry of the tests.
struct ConvolutionGeometry: Sendable, CustomTestStringConvertible {
    let input: Shape, outputChannels: Int, window: Window2D, groups: Int
    let testDescription: String

    var weight: Shape { [outputChannels, input[1] / groups, window.kernelHeight, window.kernelWidth] }
}

/// The OpenCL matrix products, convolutions and poolings against the CPU backend,
/// with the CPU's shape checks.
@Suite("OpenCL linear algebra conformance", .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
struct LinearAlgebraConformanceTests {
    let cpu = CPUBackend.shared

    static let sizes: [ProductSize] = {
        let extents = [1, 3, 7, 33, 65, 127]
        var sizes: [ProductSize] = []
        for (i, m) in extents.enumerated() {
            for (j, n) in extents.enumerated() {
                let k = extents[(i + 2 * j) % extents.count]
                if (i + j) % 2 == 0 || m == 1 || n == 1 { sizes.append(ProductSize(m: m, n: n, k: k)) }
            }
        }
        return sizes + [ProductSize(m: 1, n: 1, k: 1), ProductSize(m: 127, n: 127, k: 127), ProductSize(m: 65, n: 33, k: 300)]
    }()

    static let convolutions: [ConvolutionGeometry] = [
        ConvolutionGeometry(input: [1, 1, 1, 1], outputChannels: 1, window: Window2D(kernel: 1), groups: 1, testDescription: "1×1 pixel"),
        ConvolutionGeometry(input: [3, 7, 5, 5], outputChannels: 3, window: Window2D(kernel: 1), groups: 1, testDescription: "1×1 kernel"),
        ConvolutionGeometry(input: [2, 3, 7, 7], outputChannels: 4, window: Window2D(kernel: 3, padding: 1), groups: 1,
                            testDescription: "3×3 same"),
        ConvolutionGeometry(input: [2, 3, 9, 8], outputChannels: 5, window: Window2D(kernel: 3, stride: 2), groups: 1,
                            testDescription: "stride 2"),
        ConvolutionGeometry(input: [2, 4, 7, 9], outputChannels: 6,
                            window: Window2D(kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
                                             padTop: 1, padLeft: 0, padBottom: 2, padRight: 3),
                            groups: 2, testDescription: "asymmetric padding, groups 2"),
        ConvolutionGeometry(input: [1, 3, 11, 9], outputChannels: 5, window: Window2D(kernel: 3, padding: 2, dilation: 2), groups: 1,
                            testDescription: "dilation 2"),
        ConvolutionGeometry(input: [3, 6, 13, 13], outputChannels: 6, window: Window2D(kernel: 3, stride: 2, padding: 1), groups: 6,
                            testDescription: "depthwise"),
        ConvolutionGeometry(input: [2, 2, 7, 7], outputChannels: 2, window: Window2D(kernel: 2, stride: 3, padding: 2), groups: 1,
                            testDescription: "windows in the padding"),
        ConvolutionGeometry(input: [1, 33, 9, 9], outputChannels: 65, window: Window2D(kernel: 3, padding: 1), groups: 1,
                            testDescription: "33 → 65 channels"),
        ConvolutionGeometry(input: [5, 2, 33, 31], outputChannels: 3,
                            window: Window2D(kernelHeight: 5, kernelWidth: 3, strideHeight: 3, strideWidth: 2,
                                             padTop: 2, padLeft: 1, padBottom: 0, padRight: 2, dilationWidth: 2),
                            groups: 1, testDescription: "rectangular, strided, dilated"),
    ]

    static let poolings: [(input: Shape, window: Window2D)] = [
        ([1, 1, 1, 1], Window2D(kernel: 1)),
        ([2, 3, 8, 8], Window2D(kernel: 2, stride: 2)),
        ([1, 4, 7, 7], Window2D(kernel: 3, stride: 2, padding: 1)),
        ([2, 2, 9, 11], Window2D(kernelHeight: 3, kernelWidth: 3, padTop: 0, padLeft: 1, padBottom: 2, padRight: 0)),
        ([1, 3, 33, 33], Window2D(kernel: 5, stride: 3, padding: 2)),
        ([1, 2, 13, 13], Window2D(kernel: 3, stride: 2, padding: 2, dilation: 2)),
        ([1, 1, 65, 127], Window2D(kernelHeight: 2, kernelWidth: 3, strideHeight: 2, strideWidth: 3)),
        ([1, 2, 7, 7], Window2D(kernel: 2, stride: 3, padding: 2)),
    ]

    static let poolingKinds: [PoolingKind] = [.max, .average(countIncludePadding: true), .average(countIncludePadding: false)]

    /// `values` on both backends.
    private func pair(_ values: [Float], _ shape: Shape) throws -> (gpu: Tensor, cpu: Tensor) {
        (try OpenCLBackend.shared(deviceIndex: 0).upload(values, shape: shape), try cpu.upload(values, shape: shape))
    }

    @Test("gemm matches the CPU for every transpose and scaling", arguments: sizes)
    func gemm(size: ProductSize) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        var generator = SplitMix64(seed: UInt64(size.m * 10_000 + size.n * 100 + size.k))
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = try pair(generator.floats(size.m * size.k), transposeA ? [size.k, size.m] : [size.m, size.k])
                let b = try pair(generator.floats(size.k * size.n), transposeB ? [size.n, size.k] : [size.k, size.n])
                let c = try pair(generator.floats(size.m * size.n, -4, 4), [size.m, size.n])
                for (alpha, beta) in [(Float(1), Float(0)), (-1.5, 0.5), (0.25, 1)] {
                    let actual = try gpu.gemm(a.gpu, b.gpu, transposeA: transposeA, transposeB: transposeB,
                                              alpha: alpha, beta: beta, accumulator: beta == 0 ? nil : c.gpu)
                    let expected = try cpu.gemm(a.cpu, b.cpu, transposeA: transposeA, transposeB: transposeB,
                                                alpha: alpha, beta: beta, accumulator: beta == 0 ? nil : c.cpu)
                    #expect(actual.shape == expected.shape)
                    #expect(relativeError(try actual.toArray(), try expected.toArray()) <= 1e-5,
                            "transposeA \(transposeA) transposeB \(transposeB) α \(alpha) β \(beta)")
                }
            }
        }
    }

    @Test func gemmIgnoresTheAccumulatorWhenBetaIsZeroAndChecksItOtherwise() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let a = try gpu.filled([3, 7], value: 1), b = try gpu.filled([7, 5], value: 2)
        let nan = try gpu.filled([3, 5], value: .nan)
        #expect(try gpu.gemm(a, b, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nan).toArray()
                == Array(repeating: 14, count: 15))
        #expect(try gpu.gemm(gpu.filled([3, 0], value: 1), gpu.filled([0, 5], value: 1), transposeA: false, transposeB: false,
                             alpha: 1, beta: 2, accumulator: gpu.filled([3, 5], value: 1.5)).toArray()
                == Array(repeating: 3, count: 15))
        for (left, right, transposeA, accumulator) in [([3, 7], [5, 7], false, nil), ([3, 7], [7, 5], true, nil),
                                                       ([21], [7, 5], false, nil), ([3, 7], [7, 5], false, [5, 3] as Shape?)] {
            let aShape = Shape(left), bShape = Shape(right)
            func run(_ backend: any Backend) throws -> Tensor {
                try backend.gemm(backend.filled(aShape, value: 1), backend.filled(bShape, value: 1), transposeA: transposeA,
                                 transposeB: false, alpha: 1, beta: 1, accumulator: backend.filled(accumulator ?? [3, 5], value: 0))
            }
            let expected = catching { _ = try run(cpu) }
            #expect(expected != nil)
            #expect(catching { _ = try run(gpu) } == expected, "\(aShape) × \(bShape)")
        }
    }

    @Test("convolution forward, backward-data and backward-filter match the CPU", arguments: convolutions)
    func convolution(geometry: ConvolutionGeometry) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let plan = try ConvolutionPlan(input: geometry.input, weight: geometry.weight, window: geometry.window, groups: geometry.groups)
        var generator = SplitMix64(seed: UInt64(geometry.input.count * 31 + geometry.outputChannels))
        let x = try pair(generator.floats(geometry.input.count), geometry.input)
        let w = try pair(generator.floats(geometry.weight.count), geometry.weight)
        let bias = try pair(generator.floats(geometry.outputChannels), [geometry.outputChannels])
        let dy = try pair(generator.floats(plan.outputShape.count), plan.outputShape)
        for withBias in [false, true] {
            let actual = try gpu.conv2d(x.gpu, weight: w.gpu, bias: withBias ? bias.gpu : nil, window: geometry.window, groups: geometry.groups)
            let expected = try cpu.conv2d(x.cpu, weight: w.cpu, bias: withBias ? bias.cpu : nil, window: geometry.window, groups: geometry.groups)
            #expect(actual.shape == expected.shape)
            #expect(relativeError(try actual.toArray(), try expected.toArray()) <= 1e-5, "forward, bias \(withBias)")
        }
        let data = try gpu.conv2dBackwardData(dy.gpu, weight: w.gpu, inputShape: geometry.input, window: geometry.window, groups: geometry.groups)
        let dataReference = try cpu.conv2dBackwardData(dy.cpu, weight: w.cpu, inputShape: geometry.input, window: geometry.window,
                                                       groups: geometry.groups)
        #expect(data.shape == geometry.input)
        #expect(relativeError(try data.toArray(), try dataReference.toArray()) <= 1e-5, "backward-data")
        let filter = try gpu.conv2dBackwardFilter(dy.gpu, input: x.gpu, weightShape: geometry.weight, window: geometry.window,
                                                  groups: geometry.groups)
        let filterReference = try cpu.conv2dBackwardFilter(dy.cpu, input: x.cpu, weightShape: geometry.weight, window: geometry.window,
                                                           groups: geometry.groups)
        #expect(filter.shape == geometry.weight)
        #expect(relativeError(try filter.toArray(), try filterReference.toArray()) <= 1e-5, "backward-filter")
    }

    @Test func convolutionRejectsWhatTheCPURejects() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let window = Window2D(kernel: 3)
        // (input, weight, groups, bias, output gradient)
        let cases: [(Shape, Shape, Int, Shape?, Shape)] = [
            ([1, 4, 5, 5], [2, 3, 3, 3], 1, nil, [1, 2, 3, 3]),
            ([1, 4, 5, 5], [3, 2, 3, 3], 2, nil, [1, 3, 3, 3]),
            ([1, 4, 5, 5], [2, 4, 2, 2], 1, nil, [1, 2, 3, 3]),
            ([1, 4, 2, 5], [2, 4, 3, 3], 1, nil, [1, 2, 3, 3]),
            ([4, 5, 5], [2, 4, 3, 3], 1, nil, [1, 2, 3, 3]),
            ([1, 4, 5, 5], [2, 4, 3, 3], 1, [3], [1, 2, 3, 3]),
            ([1, 4, 5, 5], [2, 4, 3, 3], 1, nil, [1, 2, 3, 4]),
        ]
        for (input, weight, groups, bias, gradient) in cases {
            for operation in 0..<3 {
                func run(_ backend: any Backend) throws {
                    let x = try backend.filled(input, value: 1), w = try backend.filled(weight, value: 1)
                    let dy = try backend.filled(gradient, value: 1)
                    switch operation {
                    case 0: _ = try backend.conv2d(x, weight: w, bias: try bias.map { try backend.filled($0, value: 1) },
                                                   window: window, groups: groups)
                    case 1: _ = try backend.conv2dBackwardData(dy, weight: w, inputShape: input, window: window, groups: groups)
                    default: _ = try backend.conv2dBackwardFilter(dy, input: x, weightShape: weight, window: window, groups: groups)
                    }
                }
                let cpuError = catching { try run(cpu) }, gpuError = catching { try run(gpu) }
                #expect(gpuError == cpuError, "input \(input) weight \(weight) groups \(groups) operation \(operation)")
            }
        }
        #expect(try gpu.conv2dBackwardFilter(gpu.filled([0, 2, 3, 3], value: 1), input: gpu.filled([0, 4, 5, 5], value: 1),
                                             weightShape: [2, 4, 3, 3], window: window, groups: 1).toArray()
                == Array(repeating: 0, count: 72))
    }

    @Test("pooling forward and backward match the CPU", arguments: poolingKinds)
    func pooling(kind: PoolingKind) throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        for (shape, window) in Self.poolings {
            let plan = try PoolingPlan(input: shape, window: window)
            var generator = SplitMix64(seed: UInt64(shape.count))
            // Ties everywhere (values from a set of five) check the first-maximum rule.
            let inputs = [generator.distinctFloats(shape.count), (0..<shape.count).map { _ in Float(generator.index(5)) }]
            let dy = try pair(generator.floats(plan.outputShape.count), plan.outputShape)
            for values in inputs {
                let x = try pair(values, shape)
                let forward = try gpu.pool2d(x.gpu, kind: kind, window: window)
                #expect(try forward.toArray() == cpu.pool2d(x.cpu, kind: kind, window: window).toArray(), "\(shape) \(window)")
                let backward = try gpu.pool2dBackward(dy.gpu, input: x.gpu, kind: kind, window: window)
                #expect(try backward.toArray() == cpu.pool2dBackward(dy.cpu, input: x.cpu, kind: kind, window: window).toArray(),
                        "backward \(shape) \(window)")
            }
        }
    }

    @Test func poolingRejectsWhatTheCPURejects() throws {
        let gpu = try OpenCLBackend.shared(deviceIndex: 0)
        let cases: [(Shape, Window2D, Shape)] = [
            ([2, 5, 5], Window2D(kernel: 2), [1, 2, 4, 4]),
            ([1, 2, 1, 5], Window2D(kernel: 2), [1, 2, 4, 4]),
            ([1, 2, 5, 5], Window2D(kernel: 2, stride: 0), [1, 2, 4, 4]),
            ([1, 2, 5, 5], Window2D(kernel: 2), [1, 2, 4, 5]),
        ]
        for (input, window, gradient) in cases {
            for backward in [false, true] {
                func run(_ backend: any Backend) throws {
                    let x = try backend.filled(input, value: 1)
                    if backward {
                        _ = try backend.pool2dBackward(backend.filled(gradient, value: 1), input: x, kind: .max, window: window)
                    } else {
                        _ = try backend.pool2d(x, kind: .max, window: window)
                    }
                }
                #expect(catching { try run(gpu) } == catching { try run(cpu) }, "\(input) \(window) backward \(backward)")
            }
        }
    }

    /// The error `body` throws, described, or nil.
    private func catching(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }
}

extension PoolingKind: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .max: "max"
        case .average(let countIncludePadding): "average\(countIncludePadding ? " counting padding" : "")"
        }
    }
}
