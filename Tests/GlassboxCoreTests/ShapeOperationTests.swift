import Testing

@testable import GlassboxCore

/// Shape operations, memory and windows on the CPU API by hand-computed examples
/// (broadcasting a column, concatenating with empty parts, slicing a counting tensor),
/// value semantics, window sizes, and the shapes they refuse. Values over many shapes
/// against the reference are the conformance suite's
/// (`Sources/GlassboxConformance/ShapeCases.swift`, `MemoryCases.swift`).
@Suite("Shape operations")
struct ShapeOperationTests {
    @Test("broadcast repeats extent-1 axes and prepends missing ones")
    func broadcast() throws {
        let column = try makeTensor([1, 2, 3], [3, 1])
        let result = try backend.broadcast(column, to: [2, 3, 4])
        #expect(result.shape == [2, 3, 4])
        let plane: [Float] = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
        #expect(try result.toArray() == plane + plane)
        #expect(try backend.broadcast(try backend.filled([], value: 5), to: [2, 2]).toArray() == [5, 5, 5, 5])
    }

    @Test(
        "broadcasting that fails throws",
        arguments: [
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
        let a = try makeTensor([1, 2, 3, 4], [2, 2]), b = try makeTensor([5, 6], [1, 2]),
            c = try makeTensor([7, 8], [2, 1])
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
        expectShapeMismatch("other extents differ") {
            _ = try backend.concat([a, try backend.filled([3, 3], value: 1)], axis: 1)
        }
        expectShapeMismatch("ranks differ") {
            _ = try backend.concat([a, try backend.filled([2, 3, 1], value: 1)], axis: 0)
        }
        expectInvalidArgument("no tensors") { _ = try backend.concat([], axis: 0) }
        expectInvalidArgument("axis out of range") { _ = try backend.concat([a, a], axis: 2) }
    }

    @Test("slice takes a range along one axis")
    func slice() throws {
        // Element (i, j, k) of a 3×5×2 counting tensor is 10·i + 2·j + k.
        let x = try makeTensor((0..<30).map(Float.init), [3, 5, 2])
        let cases: [(axis: Int, range: Range<Int>, shape: Shape, values: [Float])] = [
            (0, 1..<3, [2, 5, 2], (10..<30).map(Float.init)),
            (1, 2..<5, [3, 3, 2], [0, 10, 20].flatMap { base in (4..<10).map { Float(base + $0) } }),
            (-1, 1..<2, [3, 5, 1], stride(from: 1, to: 30, by: 2).map(Float.init)),
            (1, 0..<5, [3, 5, 2], (0..<30).map(Float.init)),
            (1, 3..<3, [3, 0, 2], []),
        ]
        for c in cases {
            let result = try backend.slice(x, axis: c.axis, range: c.range)
            #expect(result.shape == c.shape, "axis \(c.axis) range \(c.range)")
            #expect(try result.toArray() == c.values, "axis \(c.axis) range \(c.range)")
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
        let window = Window2D(
            kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 3,
            padTop: 1, padLeft: 0, padBottom: 2, padRight: 1, dilationHeight: 2, dilationWidth: 1)
        // (10 + 3 − 2·2 − 1)/2 + 1 = 5; (7 + 1 − 1 − 1)/3 + 1 = 3.
        let size = window.outputSize(inputHeight: 10, inputWidth: 7)
        #expect(size.height == 5 && size.width == 3)
        try window.validate(inputHeight: 10, inputWidth: 7)
        expectShapeMismatch("too small, stride 1") {
            try Window2D(kernel: 3, dilation: 2).validate(inputHeight: 4, inputWidth: 9)
        }
        expectShapeMismatch("too small, padded") {
            try Window2D(kernel: 5, padding: 1).validate(inputHeight: 9, inputWidth: 2)
        }
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
