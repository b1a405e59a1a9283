import GlassboxTestSupport
import Testing
@testable import GlassboxCore

/// One matrix-product size; m, n, k straddle GEMMKernel's 128-deep and 512-wide blocks.
struct GEMMSize: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int, k: Int
    var testDescription: String { "m=\(m) n=\(n) k=\(k)" }
}

/// Naive triple loop in Float64: alpha·op(A)·op(B) + beta·C.
private func referenceGEMM(_ a: [Double], _ b: [Double], _ c: [Double]?, m: Int, n: Int, k: Int,
                           transposeA: Bool, transposeB: Bool, alpha: Double, beta: Double) -> [Double] {
    var result = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var total = 0.0
            for p in 0..<k {
                let aValue = transposeA ? a[p * m + i] : a[i * k + p]
                let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                total += aValue * bValue
            }
            result[i * n + j] = alpha * total + (beta == 0 ? 0 : beta * c![i * n + j])
        }
    }
    return result
}

@Suite("GEMM")
struct GEMMTests {
    static let sizes: [GEMMSize] = [
        GEMMSize(m: 1, n: 1, k: 1),
        GEMMSize(m: 3, n: 7, k: 1),
        GEMMSize(m: 7, n: 3, k: 33),
        GEMMSize(m: 33, n: 1, k: 130),
        GEMMSize(m: 1, n: 513, k: 7),
        GEMMSize(m: 130, n: 33, k: 3),
        GEMMSize(m: 3, n: 513, k: 130),
        GEMMSize(m: 7, n: 130, k: 513),
        GEMMSize(m: 513, n: 7, k: 33),
        GEMMSize(m: 33, n: 513, k: 130),
    ]

    @Test("matches a naive Float64 triple loop for every transpose, alpha and beta", arguments: sizes)
    func matchesReference(size: GEMMSize) throws {
        let (m, n, k) = (size.m, size.n, size.k)
        var rng = SplitMix64(seed: UInt64(m * 1_000_003 + n * 1009 + k))
        let scalars: [(alpha: Float, beta: Float)] = [(1, 0), (1.5, 0.5), (-1, 1)]
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let (a, aValues) = try randomTensor(transposeA ? [k, m] : [m, k], &rng)
                let (b, bValues) = try randomTensor(transposeB ? [n, k] : [k, n], &rng)
                let (c, cValues) = try randomTensor([m, n], &rng)
                for (alpha, beta) in scalars {
                    let result = try backend.gemm(a, b, transposeA: transposeA, transposeB: transposeB,
                                                  alpha: alpha, beta: beta, accumulator: beta == 0 ? nil : c)
                    #expect(result.shape == [m, n])
                    let reference = referenceGEMM(aValues, bValues, cValues, m: m, n: n, k: k,
                                                  transposeA: transposeA, transposeB: transposeB,
                                                  alpha: Double(alpha), beta: Double(beta))
                    expectClose(try result.toArray(), reference,
                                "transposeA=\(transposeA) transposeB=\(transposeB) alpha=\(alpha) beta=\(beta)")
                }
            }
        }
    }

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
                let result = try backend.gemm(left, right, transposeA: tA, transposeB: tB, alpha: 1, beta: 0, accumulator: nil)
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
            _ = try backend.gemm(a, square, transposeA: false, transposeB: false, alpha: 1, beta: 1, accumulator: square)
        }
    }
}

@Suite("addBias")
struct AddBiasTests {
    @Test("adds along axis 1 for rank 2 and rank 4", arguments: [[5, 3], [2, 3, 4, 5], [1, 1, 1, 1], [3, 7, 1]])
    func matchesReference(dimensions: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(dimensions.reduce(7, *)))
        let shape = Shape(dimensions)
        let (x, xValues) = try randomTensor(shape, &rng)
        let (bias, biasValues) = try randomTensor([dimensions[1]], &rng)
        let reference = xValues.indices.map { index in
            xValues[index] + biasValues[coordinates(of: index, in: dimensions)[1]]
        }
        let result = try backend.addBias(x, bias)
        #expect(result.shape == shape)
        expectClose(try result.toArray(), reference)
    }

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
