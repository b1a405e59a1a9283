import GlassboxCore
import GlassboxReference
import GlassboxTestSupport
import Testing

@testable import GlassboxConformance

/// The reference pooling and its gradient, by means independent of its loops: examples
/// computed by hand (ties and NaNs in max windows, padding that never wins a max and
/// counts in an average only when asked, windows wholly in the padding, stride,
/// dilation, overlapping windows adding their gradients), the gradient against central
/// differences of the forward pass, and the refusals of ``PoolingPlan``.
@Suite("Reference pooling")
struct PoolingReferenceTests {
    static let average = PoolingKind.average(countIncludePadding: false)
    static let averageCountingPadding = PoolingKind.average(countIncludePadding: true)

    /// `pool2d` of `values` (one plane of `height`×`width`), and `pool2dBackward` of `gradient`.
    func pool(
        _ values: [Float], _ height: Int, _ width: Int, _ kind: PoolingKind, _ window: Window2D,
        gradient: [Float]? = nil
    ) throws -> (output: [Float], inputGradient: [Float]?) {
        let x = try tensor(values, [1, 1, height, width])
        let y = try reference.pool2d(x, kind: kind, window: window)
        let dx = try gradient.map {
            try reference.pool2dBackward(try tensor($0, y.shape), input: x, kind: kind, window: window)
        }
        return (try y.toArray(), try dx?.toArray())
    }

    @Test("ties: the first maximal input of a window wins and takes the gradient")
    func ties() throws {
        let window = Window2D(kernel: 2)
        #expect(try pool([7, 7, 7, 7], 2, 2, .max, window, gradient: [5]) == ([7], [5, 0, 0, 0]))
        #expect(try pool([0, 4, 1, 4], 2, 2, .max, window, gradient: [5]) == ([4], [0, 5, 0, 0]))
        // Overlapping windows (stride 1) share a winner and add their gradients.
        let pairs = Window2D(kernelHeight: 1, kernelWidth: 2)
        #expect(try pool([3, 1, 2, 0], 1, 4, .max, pairs, gradient: [1, 10, 100]) == ([3, 2, 2], [1, 0, 110, 0]))
    }

    /// NaN compares false, so it wins a window only as its first tap (and then takes the gradient).
    @Test("a NaN wins a max window only as its first tap")
    func nan() throws {
        let window = Window2D(kernel: 2)
        let first = try pool([.nan, 2, 3, 1], 2, 2, .max, window, gradient: [5])
        #expect(first.output[0].isNaN && first.inputGradient == [5, 0, 0, 0])
        #expect(try pool([2, .nan, 3, 1], 2, 2, .max, window, gradient: [5]) == ([3], [0, 0, 5, 0]))
        #expect(try pool([2, .nan, 3, 1], 2, 2, Self.average, window).output[0].isNaN)
    }

    /// Every padded 3×3 window over the 2×2 input holds all four inputs and five zeros of padding.
    @Test("padding never wins a max and counts in an average only when asked")
    func padding() throws {
        let x: [Float] = [-1, -2, -3, -4], window = Window2D(kernel: 3, padding: 1)
        #expect(try pool(x, 2, 2, .max, window, gradient: [1, 1, 1, 1]) == ([-1, -1, -1, -1], [4, 0, 0, 0]))
        #expect(
            try pool(x, 2, 2, Self.average, window, gradient: [9, 18, 27, 36])
                == ([-2.5, -2.5, -2.5, -2.5], [22.5, 22.5, 22.5, 22.5]))
        #expect(
            try pool(x, 2, 2, Self.averageCountingPadding, window, gradient: [9, 18, 27, 36])
                == (Array(repeating: Float(-10.0 / 9), count: 4), [10, 10, 10, 10]))
    }

    @Test("windows wholly in the padding give 0 and take no gradient")
    func windowsInPadding() throws {
        let window = Window2D(kernel: 1, padding: 1), gradient = (1...9).map(Float.init)
        for kind in [PoolingKind.max, Self.average, Self.averageCountingPadding] {
            #expect(
                try pool([5], 1, 1, kind, window, gradient: gradient) == ([0, 0, 0, 0, 5, 0, 0, 0, 0], [5]), "\(kind)")
        }
    }

    @Test("stride and dilation choose the taps")
    func strideAndDilation() throws {
        let counting = (0..<16).map(Float.init), stride = Window2D(kernel: 2, stride: 2)
        #expect(
            try pool(counting, 4, 4, .max, stride, gradient: [1, 2, 3, 4])
                == ([5, 7, 13, 15], [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4]))
        #expect(try pool(counting, 4, 4, Self.average, stride).output == [2.5, 4.5, 10.5, 12.5])
        // Dilation 2 on a 3×3 input: the taps are the four corners 1, 3, 7, 9.
        let dilated = Window2D(kernel: 2, dilation: 2), nine = (1...9).map(Float.init)
        #expect(try pool(nine, 3, 3, .max, dilated, gradient: [8]) == ([9], [0, 0, 0, 0, 0, 0, 0, 0, 8]))
        #expect(
            try pool(nine, 3, 3, Self.averageCountingPadding, dilated, gradient: [8]) == (
                [5], [2, 0, 2, 0, 0, 0, 2, 0, 2]
            ))
    }

    /// The geometries of the conformance suite small enough for finite differences (two
    /// poolings per input element): among them padding on some sides, overlapping windows,
    /// dilation, rectangular windows, windows wholly in the padding, one pixel.
    static let geometries = BackendOperation.poolings.filter { Shape($0.input).count <= 200 }.map {
        (input: Shape($0.input), window: $0.window)
    }

    /// Inputs 1/64 apart (multiples of 1/128), so a step of 1/256 never changes a max's
    /// winner and the max is linear over the step; averages are linear everywhere, so their
    /// step of 0.5 is exact but for the Float32 rounding of the outputs.
    @Test(
        "the gradient equals central differences of L = Σ r·pool(x)",
        arguments: geometries.indices, [PoolingKind.max, average, averageCountingPadding])
    func finiteDifferences(geometry: Int, kind: PoolingKind) throws {
        let (shape, window) = Self.geometries[geometry]
        var random = SplitMix64(name: "pooling finite differences \(geometry) \(kind)")
        let x = random.distinctFloats(shape.count, spacing: 1.0 / 64)
        let y = try reference.pool2d(try tensor(x, shape), kind: kind, window: window)
        let r = gridFloats(y.count, &random)
        let numeric = try centralDifferences(at: x, step: kind == .max ? 1.0 / 256 : 0.5) {
            dot(r, try reference.pool2d(try tensor($0, shape), kind: kind, window: window).toArray())
        }
        let dx = try reference.pool2dBackward(
            try tensor(r, y.shape), input: try tensor(x, shape), kind: kind, window: window)
        expectClose(try dx.toArray(), numeric, tolerance: 1e-6)
    }

    @Test("refuses what the pooling plan refuses")
    func refusals() throws {
        let refused: [(Shape, Window2D)] = [
            ([2, 4, 4], Window2D(kernel: 2)), ([1, 2, 4, 4], Window2D(kernel: 5)),
            ([1, 2, 4, 4], Window2D(kernelHeight: 2, kernelWidth: 5)),
            ([1, 2, 4, 4], Window2D(kernel: 2, stride: 0)),
        ]
        for (input, window) in refused {
            expectRefusal(as: { _ = try PoolingPlan(input: input, window: window) }, "\(input) \(window)") {
                _ = try reference.pool2d(reference.filled(input, value: 1), kind: .max, window: window)
            }
        }
        let window = Window2D(kernel: 2, stride: 2), x = try reference.filled([1, 2, 4, 4], value: 1)
        let plan = try PoolingPlan(input: x.shape, window: window)
        expectRefusal(as: { try plan.checkGradient([1, 2, 3, 3]) }, "a wrong output gradient") {
            _ = try reference.pool2dBackward(
                reference.filled([1, 2, 3, 3], value: 1), input: x, kind: .max, window: window)
        }
    }
}
