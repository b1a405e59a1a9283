import GlassboxTestSupport
import Testing
@testable import GlassboxCore

/// One pooling geometry on an NCHW input.
struct PoolingCase: Sendable, CustomTestStringConvertible {
    let shape: Shape
    let window: Window2D
    let label: String
    var testDescription: String { label }

    var outputHeight: Int {
        (shape[2] + window.padTop + window.padBottom - window.dilationHeight * (window.kernelHeight - 1) - 1)
            / window.strideHeight + 1
    }
    var outputWidth: Int {
        (shape[3] + window.padLeft + window.padRight - window.dilationWidth * (window.kernelWidth - 1) - 1)
            / window.strideWidth + 1
    }
    var outputShape: Shape { [shape[0], shape[1], outputHeight, outputWidth] }
}

enum ReferencePooling: Sendable, CaseIterable {
    case max, averageIncludingPadding, averageExcludingPadding

    var kind: PoolingKind {
        switch self {
        case .max: .max
        case .averageIncludingPadding: .average(countIncludePadding: true)
        case .averageExcludingPadding: .average(countIncludePadding: false)
        }
    }
}

/// Direct pooling in Float64: padded positions never win a max; an average
/// divides by the whole window or only by the positions inside the input.
func referencePool2d(_ x: [Double], _ c: PoolingCase, _ kind: ReferencePooling) -> [Double] {
    let (planes, height, width) = (c.shape[0] * c.shape[1], c.shape[2], c.shape[3])
    let w = c.window
    var y = [Double]()
    for plane in 0..<planes {
        for i in 0..<c.outputHeight {
            for j in 0..<c.outputWidth {
                var inside = [Double]()
                for ki in 0..<w.kernelHeight {
                    for kj in 0..<w.kernelWidth {
                        let h = i * w.strideHeight - w.padTop + ki * w.dilationHeight
                        let v = j * w.strideWidth - w.padLeft + kj * w.dilationWidth
                        if h >= 0, h < height, v >= 0, v < width { inside.append(x[(plane * height + h) * width + v]) }
                    }
                }
                switch kind {
                case .max: y.append(inside.max()!)
                case .averageIncludingPadding: y.append(inside.reduce(0, +) / Double(w.kernelHeight * w.kernelWidth))
                case .averageExcludingPadding: y.append(inside.reduce(0, +) / Double(inside.count))
                }
            }
        }
    }
    return y
}

@Suite("Pooling")
struct PoolingTests {
    static let cases: [PoolingCase] = [
        PoolingCase(shape: [1, 1, 1, 1], window: Window2D(kernel: 1), label: "1×1"),
        PoolingCase(shape: [2, 3, 6, 8], window: Window2D(kernel: 2, stride: 2), label: "2×2 stride 2"),
        PoolingCase(shape: [1, 2, 7, 5],
                    window: Window2D(kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                                     padTop: 1, padLeft: 0, padBottom: 1, padRight: 1),
                    label: "3×3 stride 2, asymmetric padding"),
        PoolingCase(shape: [2, 1, 9, 7], window: Window2D(kernel: 3, stride: 1, padding: 1, dilation: 2),
                    label: "3×3 overlapping, dilation 2"),
        PoolingCase(shape: [1, 3, 5, 9],
                    window: Window2D(kernelHeight: 2, kernelWidth: 3, strideHeight: 1, strideWidth: 2,
                                     padTop: 0, padLeft: 1, padBottom: 1, padRight: 0),
                    label: "2×3 stride 1×2, odd sizes"),
        PoolingCase(shape: [1, 1, 3, 3], window: Window2D(kernel: 3, stride: 1, padding: 1),
                    label: "3×3 same padding on 3×3"),
    ]

    @Test("forward matches direct Float64 pooling", arguments: cases, ReferencePooling.allCases)
    func forward(c: PoolingCase, kind: ReferencePooling) throws {
        var rng = SplitMix64(seed: UInt64(c.shape.count))
        let (x, xValues) = try randomTensor(c.shape, &rng)
        let y = try backend.pool2d(x, kind: kind.kind, window: c.window)
        #expect(y.shape == c.outputShape)
        expectClose(try y.toArray(), referencePool2d(xValues, c, kind))
    }

    @Test("backward matches central finite differences of L = Σ r·pool(x)", arguments: cases, ReferencePooling.allCases)
    func backward(c: PoolingCase, kind: ReferencePooling) throws {
        var rng = SplitMix64(seed: UInt64(c.shape.count) + 1)
        // Distinct values 0.01 apart, so a 1e-6 step never changes a max's winner.
        let xFloats = rng.distinctFloats(c.shape.count)
        let xValues = xFloats.map(Double.init)
        let x = try makeTensor(xFloats, c.shape)
        let (r, rValues) = try randomTensor(c.outputShape, &rng)
        let numeric = finiteDifferenceGradient(at: xValues) { dot(rValues, referencePool2d($0, c, kind)) }
        let gx = try backend.pool2dBackward(r, input: x, kind: kind.kind, window: c.window)
        #expect(gx.shape == c.shape)
        expectClose(try gx.toArray(), numeric)
    }

    @Test("max pooling sends the gradient to the first maximal input of a window")
    func maxTies() throws {
        let window = Window2D(kernel: 2)
        let equal = try makeTensor([5, 5, 5, 5], [1, 1, 2, 2])
        let gradient = try makeTensor([3], [1, 1, 1, 1])
        #expect(try backend.pool2d(equal, kind: .max, window: window).toArray() == [5])
        #expect(try backend.pool2dBackward(gradient, input: equal, kind: .max, window: window).toArray() == [3, 0, 0, 0])

        let twoMaxima = try makeTensor([1, 3, 3, 2], [1, 1, 2, 2])
        #expect(try backend.pool2dBackward(gradient, input: twoMaxima, kind: .max, window: window).toArray() == [0, 3, 0, 0])

        // Overlapping windows (stride 1) share the winner and add their gradients.
        let row = try makeTensor([0, 9, 1], [1, 1, 1, 3])
        let gradients = try makeTensor([2, 5], [1, 1, 1, 2])
        let rowWindow = Window2D(kernelHeight: 1, kernelWidth: 2)
        #expect(try backend.pool2dBackward(gradients, input: row, kind: .max, window: rowWindow).toArray() == [0, 7, 0])

        // NaN is never greater, so it wins only as a window's first tap (as in the OpenCL kernel).
        let nanFirst = try makeTensor([.nan, 1, 4, 2], [1, 1, 2, 2]), nanLater = try makeTensor([1, .nan, 4, 2], [1, 1, 2, 2])
        #expect(try backend.pool2d(nanFirst, kind: .max, window: window).toArray()[0].isNaN)
        #expect(try backend.pool2dBackward(gradient, input: nanFirst, kind: .max, window: window).toArray() == [3, 0, 0, 0])
        #expect(try backend.pool2d(nanLater, kind: .max, window: window).toArray() == [4])
    }

    @Test("padding never wins a max and counts in the divisor only when asked")
    func padding() throws {
        let x = try makeTensor([-5, -6, -7, -8], [1, 1, 2, 2])
        let window = Window2D(kernel: 2, stride: 2, padding: 1)
        // Every 2×2 window over the padded 4×4 holds exactly one input value.
        #expect(try backend.pool2d(x, kind: .max, window: window).toArray() == [-5, -6, -7, -8])
        #expect(try backend.pool2d(x, kind: .average(countIncludePadding: false), window: window).toArray() == [-5, -6, -7, -8])
        #expect(try backend.pool2d(x, kind: .average(countIncludePadding: true), window: window).toArray() == [-1.25, -1.5, -1.75, -2])
        let g = try makeTensor([4, 8, 12, 16], [1, 1, 2, 2])
        #expect(try backend.pool2dBackward(g, input: x, kind: .average(countIncludePadding: true), window: window).toArray()
                == [1, 2, 3, 4])
        #expect(try backend.pool2dBackward(g, input: x, kind: .average(countIncludePadding: false), window: window).toArray()
                == [4, 8, 12, 16])
        #expect(try backend.pool2dBackward(g, input: x, kind: .max, window: window).toArray() == [4, 8, 12, 16])
    }

    @Test("bad shapes and windows throw")
    func errors() throws {
        let x = try backend.filled([1, 2, 4, 4], value: 1)
        expectShapeMismatch("rank-3 input") {
            _ = try backend.pool2d(try backend.filled([2, 4, 4], value: 1), kind: .max, window: Window2D(kernel: 2))
        }
        expectShapeMismatch("window does not fit") {
            _ = try backend.pool2d(x, kind: .max, window: Window2D(kernel: 5))
        }
        expectShapeMismatch("rectangular window does not fit") {
            _ = try backend.pool2d(x, kind: .average(countIncludePadding: false),
                                   window: Window2D(kernelHeight: 2, kernelWidth: 5))
        }
        expectInvalidArgument("zero stride") {
            _ = try backend.pool2d(x, kind: .max, window: Window2D(kernel: 2, stride: 0))
        }
        expectShapeMismatch("backward with a wrong output gradient") {
            _ = try backend.pool2dBackward(try backend.filled([1, 2, 3, 3], value: 1), input: x, kind: .max,
                                           window: Window2D(kernel: 2, stride: 2))
        }
        expectShapeMismatch("backward with a window that does not fit") {
            _ = try backend.pool2dBackward(try backend.filled([1, 2, 1, 1], value: 1), input: x,
                                           kind: .average(countIncludePadding: true), window: Window2D(kernel: 6))
        }
    }
}
