import Testing

@testable import GlassboxCore

/// Hand-computed matrix products on the CPU API (every transpose, β = 0 ignoring the
/// accumulator, an empty inner dimension) and the shapes it refuses. Products of every
/// size against the reference are the conformance suite's
/// (`Sources/GlassboxConformance/LinearAlgebraCases.swift`, sizes across the CPU's blocks).
@Suite("GEMM")
struct GEMMTests {
    @Test("beta = 0 ignores a given accumulator")
    func betaZeroIgnoresAccumulator() throws {
        let a = try makeTensor([1, 2, 3, 4], [2, 2])
        let b = try makeTensor([5, 6, 7, 8], [2, 2])
        let c = try makeTensor([100, 200, 300, 400], [2, 2])
        let result = try backend.gemm(a, b, transposeA: false, transposeB: false, alpha: 2, beta: 0, accumulator: c)
        #expect(try result.toArray() == [38, 44, 86, 100])
    }

    @Test("hand-made 2×3 · 3×2 product with transposes")
    func handMade() throws {
        // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]; A·B = [[58, 64], [139, 154]].
        let a = try makeTensor([1, 2, 3, 4, 5, 6], [2, 3])
        let aT = try makeTensor([1, 4, 2, 5, 3, 6], [3, 2])
        let b = try makeTensor([7, 8, 9, 10, 11, 12], [3, 2])
        let bT = try makeTensor([7, 9, 11, 8, 10, 12], [2, 3])
        for (left, tA) in [(a, false), (aT, true)] {
            for (right, tB) in [(b, false), (bT, true)] {
                let result = try backend.gemm(
                    left, right, transposeA: tA, transposeB: tB, alpha: 1, beta: 0, accumulator: nil)
                #expect(try result.toArray() == [58, 64, 139, 154])
            }
        }
    }

    @Test("k = 0 gives beta·C")
    func emptyInnerDimension() throws {
        let a = try backend.filled([2, 0], value: 0)
        let b = try backend.filled([0, 3], value: 0)
        let c = try makeTensor([1, 2, 3, 4, 5, 6], [2, 3])
        let result = try backend.gemm(a, b, transposeA: false, transposeB: false, alpha: 1, beta: 2, accumulator: c)
        #expect(try result.toArray() == [2, 4, 6, 8, 10, 12])
    }

    @Test("shape errors throw")
    func errors() throws {
        let a = try backend.filled([2, 3], value: 1)
        let b = try backend.filled([4, 5], value: 1)
        let vector = try backend.filled([3], value: 1)
        expectShapeMismatch("inner dimensions differ") {
            _ = try backend.gemm(a, b, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        }
        let square = try backend.filled([3, 3], value: 1)
        expectShapeMismatch("inner dimensions differ after transposing A") {
            _ = try backend.gemm(a, square, transposeA: true, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        }
        expectShapeMismatch("2×3 · 2×3 without transposes") {
            _ = try backend.gemm(a, a, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        }
        expectShapeMismatch("rank-1 operand") {
            _ = try backend.gemm(vector, a, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        }
        expectShapeMismatch("beta ≠ 0 without an accumulator") {
            _ = try backend.gemm(a, square, transposeA: false, transposeB: false, alpha: 1, beta: 1, accumulator: nil)
        }
        expectShapeMismatch("accumulator of the wrong shape") {
            _ = try backend.gemm(
                a, square, transposeA: false, transposeB: false, alpha: 1, beta: 1, accumulator: square)
        }
    }
}

/// The shapes `addBias` refuses (its values are the conformance suite's).
@Suite("addBias")
struct AddBiasTests {
    @Test("a bias of the wrong shape throws")
    func errors() throws {
        let x = try backend.filled([2, 3, 4], value: 0)
        expectShapeMismatch("bias length ≠ channels") { _ = try backend.addBias(x, try backend.filled([4], value: 0)) }
        expectShapeMismatch("bias of rank 2") { _ = try backend.addBias(x, try backend.filled([1, 3], value: 0)) }
        expectShapeMismatch("rank-1 input") {
            _ = try backend.addBias(try backend.filled([3], value: 0), try backend.filled([3], value: 0))
        }
    }
}
