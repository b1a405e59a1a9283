import GlassboxTestSupport
import Testing
@testable import GlassboxCore

@Suite("Shape operations")
struct ShapeOperationTests {
    @Test("broadcast repeats extent-1 axes", arguments: [
        BroadcastCase(a: [3, 1], b: [2, 3, 4]),
        BroadcastCase(a: [], b: [2, 2]),
        BroadcastCase(a: [4], b: [3, 4]),
        BroadcastCase(a: [1, 1, 1], b: [2, 1, 3]),
        BroadcastCase(a: [2, 3], b: [2, 3]),
    ])
    func broadcast(c: BroadcastCase) throws {
        var rng = SplitMix64(seed: UInt64(c.b.reduce(1, *)))
        let (x, xValues) = try randomTensor(Shape(c.a), &rng)
        let zeros = [Double](repeating: 0, count: Shape(c.b).count)
        let reference = referenceBroadcast(xValues, c.a, zeros, c.b) { value, _ in value }
        let result = try backend.broadcast(x, to: Shape(c.b))
        #expect(result.shape == Shape(c.b))
        expectClose(try result.toArray(), reference.values, tolerance: 0)
    }

    @Test("broadcasting that fails throws", arguments: [
        BroadcastCase(a: [3], b: [4]),
        BroadcastCase(a: [2, 3], b: [3]),
        BroadcastCase(a: [3, 1], b: [3, 0, 2]),
        BroadcastCase(a: [2, 1], b: [1, 5]),
    ])
    func broadcastErrors(c: BroadcastCase) throws {
        let x = try backend.filled(Shape(c.a), value: 1)
        expectShapeMismatch { _ = try backend.broadcast(x, to: Shape(c.b)) }
    }

    @Test("concat joins along any axis")
    func concat() throws {
        var rng = SplitMix64(seed: 21)
        let shapes: [[Int]] = [[2, 1, 4], [2, 3, 4], [2, 2, 4]]
        let parts = try shapes.map { try randomTensor(Shape($0), &rng) }
        for axis in [1, -2] {
            let result = try backend.concat(parts.map(\.0), axis: axis)
            #expect(result.shape == [2, 6, 4])
            // Reference: walk the output coordinates and find the part each one came from.
            var reference = [Double]()
            for i in 0..<2 {
                for (part, shape) in zip(parts, shapes) {
                    for j in 0..<shape[1] {
                        for k in 0..<4 { reference.append(part.1[(i * shape[1] + j) * 4 + k]) }
                    }
                }
            }
            expectClose(try result.toArray(), reference, tolerance: 0, "axis \(axis)")
        }
        let a = try makeTensor([1, 2, 3, 4], [2, 2]), b = try makeTensor([5, 6], [1, 2]), c = try makeTensor([7, 8], [2, 1])
        #expect(try backend.concat([a, b], axis: 0).toArray() == [1, 2, 3, 4, 5, 6])
        #expect(try backend.concat([a, c], axis: 1).toArray() == [1, 2, 7, 3, 4, 8])
        #expect(try backend.concat([c, a, c], axis: -1).toArray() == [7, 1, 2, 7, 8, 3, 4, 8])
        #expect(try backend.concat([a], axis: 0).toArray() == [1, 2, 3, 4])
        let empty = try backend.filled([2, 0], value: 0)
        #expect(try backend.concat([empty, a, empty], axis: 1).toArray() == [1, 2, 3, 4])
    }

    @Test("concat of mismatched tensors throws")
    func concatErrors() throws {
        let a = try backend.filled([2, 3], value: 1)
        expectShapeMismatch("other extents differ") { _ = try backend.concat([a, try backend.filled([3, 3], value: 1)], axis: 1) }
        expectShapeMismatch("ranks differ") { _ = try backend.concat([a, try backend.filled([2, 3, 1], value: 1)], axis: 0) }
        expectInvalidArgument("no tensors") { _ = try backend.concat([], axis: 0) }
        expectInvalidArgument("axis out of range") { _ = try backend.concat([a, a], axis: 2) }
    }

    @Test("slice takes a range along one axis")
    func slice() throws {
        var rng = SplitMix64(seed: 4)
        let (x, xValues) = try randomTensor([3, 5, 2], &rng)
        for (axis, range) in [(0, 1..<3), (1, 2..<5), (-1, 1..<2), (1, 0..<5), (1, 3..<3)] {
            let normalized = axis < 0 ? axis + 3 : axis
            var dimensions = [3, 5, 2]
            dimensions[normalized] = range.count
            let reference = xValues.indices.filter { range.contains(coordinates(of: $0, in: [3, 5, 2])[normalized]) }
                .map { xValues[$0] }
            let result = try backend.slice(x, axis: axis, range: range)
            #expect(result.shape == Shape(dimensions))
            expectClose(try result.toArray(), reference, tolerance: 0, "axis \(axis) range \(range)")
        }
    }

    @Test("slices out of bounds throw")
    func sliceErrors() throws {
        let x = try backend.filled([3, 5], value: 1)
        expectInvalidArgument("past the end") { _ = try backend.slice(x, axis: 1, range: 3..<6) }
        expectInvalidArgument("before the start") { _ = try backend.slice(x, axis: 0, range: -1..<2) }
        expectInvalidArgument("axis out of range") { _ = try backend.slice(x, axis: 2, range: 0..<1) }
    }

    @Test("upload, download, filled and reshape")
    func memory() throws {
        let x = try makeTensor([1, 2, 3, 4, 5, 6], [2, 3])
        #expect(try x.toArray() == [1, 2, 3, 4, 5, 6])
        #expect(try backend.filled([2, 2], value: 2.5).toArray() == [2.5, 2.5, 2.5, 2.5])
        #expect(try backend.filled([], value: 7).toArray() == [7])
        #expect(try backend.filled([3, 0], value: 7).toArray() == [])
        let reshaped = try x.reshaped([3, 2])
        #expect(reshaped.shape == [3, 2])
        #expect(try reshaped.toArray() == [1, 2, 3, 4, 5, 6])
        expectShapeMismatch("reshape to another count") { _ = try x.reshaped([4, 2]) }
        expectShapeMismatch("upload with the wrong count") { _ = try backend.upload([1, 2, 3], shape: [2, 2]) }
    }

    @Test("operations never change their arguments")
    func valueSemantics() throws {
        let values: [Float] = [-1, 2, -3, 4]
        let x = try makeTensor(values, [1, 1, 2, 2])
        _ = try backend.unary(x, .negate)
        _ = try backend.binary(x, x, .add)
        _ = try backend.affine(x, scale: 2, shift: 1)
        _ = try backend.activation(x, .relu)
        _ = try backend.softmax(x, axis: -1, logarithm: false)
        _ = try backend.pool2d(x, kind: .max, window: Window2D(kernel: 2))
        _ = try backend.conv2d(x, weight: x, bias: nil, window: Window2D(kernel: 2), groups: 1)
        #expect(try x.toArray() == values)
    }

    @Test("Window2D output size and validation")
    func window() throws {
        let window = Window2D(kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 3,
                              padTop: 1, padLeft: 0, padBottom: 2, padRight: 1, dilationHeight: 2, dilationWidth: 1)
        // (10 + 3 − 2·2 − 1)/2 + 1 = 5; (7 + 1 − 1 − 1)/3 + 1 = 3.
        let size = window.outputSize(inputHeight: 10, inputWidth: 7)
        #expect(size.height == 5 && size.width == 3)
        try window.validate(inputHeight: 10, inputWidth: 7)
        expectShapeMismatch("too small, stride 1") {
            try Window2D(kernel: 3, dilation: 2).validate(inputHeight: 4, inputWidth: 9)
        }
        expectShapeMismatch("too small, padded") { try Window2D(kernel: 5, padding: 1).validate(inputHeight: 9, inputWidth: 2) }
        expectInvalidArgument("zero kernel") { try Window2D(kernel: 0).validate(inputHeight: 4, inputWidth: 4) }
    }

    /// (size + pads − dilation·(kernel − 1) − 1) is negative here; division
    /// truncating toward zero would make the extent 1, so validation must look
    /// at the numerator.
    @Test("a window larger than the input with stride > 1 does not fit")
    func windowTooLargeWithStride() throws {
        expectShapeMismatch("5-wide kernel, stride 4, on 2 columns") {
            try Window2D(kernel: 5, stride: 4).validate(inputHeight: 9, inputWidth: 2)
        }
        expectShapeMismatch("conv2d with a 3×3 kernel, stride 2, on a 2×2 input") {
            let x = try backend.filled([1, 1, 2, 2], value: 1), w = try backend.filled([1, 1, 3, 3], value: 1)
            _ = try backend.conv2d(x, weight: w, bias: nil, window: Window2D(kernel: 3, stride: 2), groups: 1)
        }
    }
}
