import Testing

@testable import GlassboxCore

/// Hand-computed pooling on the CPU API: ties and NaNs in max windows, padding that
/// never wins a max and counts in an average only when asked, and the shapes and
/// windows it refuses. Every geometry's values and gradients against the reference are
/// the conformance suite's (`Sources/GlassboxConformance/PoolingCases.swift`).
@Suite("Pooling")
struct PoolingTests {
    @Test("max pooling sends the gradient to the first maximal input of a window")
    func maxTies() throws {
        let window = Window2D(kernel: 2)
        let equal = try makeTensor([5, 5, 5, 5], [1, 1, 2, 2])
        let gradient = try makeTensor([3], [1, 1, 1, 1])
        #expect(try backend.pool2d(equal, kind: .max, window: window).toArray() == [5])
        #expect(
            try backend.pool2dBackward(gradient, input: equal, kind: .max, window: window).toArray() == [3, 0, 0, 0])

        let twoMaxima = try makeTensor([1, 3, 3, 2], [1, 1, 2, 2])
        #expect(
            try backend.pool2dBackward(gradient, input: twoMaxima, kind: .max, window: window).toArray() == [
                0, 3, 0, 0,
            ])

        // Overlapping windows (stride 1) share the winner and add their gradients.
        let row = try makeTensor([0, 9, 1], [1, 1, 1, 3])
        let gradients = try makeTensor([2, 5], [1, 1, 1, 2])
        let rowWindow = Window2D(kernelHeight: 1, kernelWidth: 2)
        #expect(
            try backend.pool2dBackward(gradients, input: row, kind: .max, window: rowWindow).toArray() == [0, 7, 0])

        // NaN is never greater, so it wins only as a window's first tap (as in the OpenCL kernel).
        let nanFirst = try makeTensor([.nan, 1, 4, 2], [1, 1, 2, 2]),
            nanLater = try makeTensor([1, .nan, 4, 2], [1, 1, 2, 2])
        #expect(try backend.pool2d(nanFirst, kind: .max, window: window).toArray()[0].isNaN)
        #expect(
            try backend.pool2dBackward(gradient, input: nanFirst, kind: .max, window: window).toArray() == [3, 0, 0, 0])
        #expect(try backend.pool2d(nanLater, kind: .max, window: window).toArray() == [4])
    }

    @Test("padding never wins a max and counts in the divisor only when asked")
    func padding() throws {
        let x = try makeTensor([-5, -6, -7, -8], [1, 1, 2, 2])
        let window = Window2D(kernel: 2, stride: 2, padding: 1)
        // Every 2×2 window over the padded 4×4 holds exactly one input value.
        #expect(try backend.pool2d(x, kind: .max, window: window).toArray() == [-5, -6, -7, -8])
        #expect(
            try backend.pool2d(x, kind: .average(countIncludePadding: false), window: window).toArray() == [
                -5, -6, -7, -8,
            ])
        #expect(
            try backend.pool2d(x, kind: .average(countIncludePadding: true), window: window).toArray() == [
                -1.25, -1.5, -1.75, -2,
            ])
        let g = try makeTensor([4, 8, 12, 16], [1, 1, 2, 2])
        #expect(
            try backend.pool2dBackward(g, input: x, kind: .average(countIncludePadding: true), window: window).toArray()
                == [1, 2, 3, 4])
        #expect(
            try backend.pool2dBackward(g, input: x, kind: .average(countIncludePadding: false), window: window)
                .toArray()
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
            _ = try backend.pool2d(
                x, kind: .average(countIncludePadding: false),
                window: Window2D(kernelHeight: 2, kernelWidth: 5))
        }
        expectInvalidArgument("zero stride") {
            _ = try backend.pool2d(x, kind: .max, window: Window2D(kernel: 2, stride: 0))
        }
        expectShapeMismatch("backward with a wrong output gradient") {
            _ = try backend.pool2dBackward(
                try backend.filled([1, 2, 3, 3], value: 1), input: x, kind: .max,
                window: Window2D(kernel: 2, stride: 2))
        }
        expectShapeMismatch("backward with a window that does not fit") {
            _ = try backend.pool2dBackward(
                try backend.filled([1, 2, 1, 1], value: 1), input: x,
                kind: .average(countIncludePadding: true), window: Window2D(kernel: 6))
        }
    }
}
