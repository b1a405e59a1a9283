import GlassboxConformance
import GlassboxCore
import GlassboxReference
import Testing

/// The reference matrix product and bias addition, by means independent of their loops:
/// a 2×3·3×2 product computed by hand under every transpose, α and β, β = 0 ignoring a
/// NaN accumulator (as BLAS does), an empty inner dimension, the identity (AB)ᵀ = BᵀAᵀ
/// (with the reference's own transpose) on sizes across the CPU's blocks, a bias added by
/// hand; and the refusals of ``GEMMPlan``.
@Suite("Reference linear algebra")
struct LinearAlgebraReferenceTests {
    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]; A·B = [[58, 64], [139, 154]].
    static let a: [Float] = [1, 2, 3, 4, 5, 6], aT: [Float] = [1, 4, 2, 5, 3, 6]
    static let b: [Float] = [7, 8, 9, 10, 11, 12], bT: [Float] = [7, 9, 11, 8, 10, 12]

    @Test("a hand-computed product under every transpose")
    func handComputed() throws {
        for (left, transposeA) in [(try tensor(Self.a, [2, 3]), false), (try tensor(Self.aT, [3, 2]), true)] {
            for (right, transposeB) in [(try tensor(Self.b, [3, 2]), false), (try tensor(Self.bT, [2, 3]), true)] {
                let product = try reference.gemm(
                    left, right, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0,
                    accumulator: nil)
                #expect(product.shape == [2, 2])
                #expect(try product.toArray() == [58, 64, 139, 154], "transposes \(transposeA), \(transposeB)")
            }
        }
    }

    @Test("α scales the product and β the accumulator; β = 0 ignores even a NaN accumulator")
    func scalars() throws {
        let a = try tensor(Self.a, [2, 3]), b = try tensor(Self.b, [3, 2]), c = try tensor([1, -2, 4, 8], [2, 2])
        #expect(
            try reference.gemm(a, b, transposeA: false, transposeB: false, alpha: 2, beta: 0.5, accumulator: c)
                .toArray()
                == [116.5, 127, 280, 312])
        let nan = try reference.filled([2, 2], value: .nan)
        #expect(
            try reference.gemm(a, b, transposeA: false, transposeB: false, alpha: -1, beta: 0, accumulator: nan)
                .toArray()
                == [-58, -64, -139, -154])
    }

    @Test("an empty inner dimension leaves β·C")
    func emptyInnerDimension() throws {
        let c = try tensor([1, 2, 3, 4, 5, 6], [2, 3])
        let product = try reference.gemm(
            reference.filled([2, 0], value: 0), reference.filled([0, 3], value: 0), transposeA: false,
            transposeB: false, alpha: 1, beta: -3, accumulator: c)
        #expect(try product.toArray() == [-3, -6, -9, -12, -15, -18])
    }

    /// (AB)ᵀ = BᵀAᵀ with the same products summed in the same order, so bit for bit; and
    /// a product of explicitly transposed copies, flagged as transposed, is the product.
    @Test("(AB)ᵀ = BᵀAᵀ", arguments: [(m: 1, k: 1, n: 1), (3, 7, 5), (33, 130, 7), (7, 513, 3), (2, 3, 513)])
    func transposeIdentity(m: Int, k: Int, n: Int) throws {
        var random = SplitMix64(name: "transpose identity \(m)×\(k)×\(n)")
        let a = try tensor(random.floats(m * k), [m, k]), b = try tensor(random.floats(k * n), [k, n])
        let product = try reference.gemm(
            a, b, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        let swapped = try reference.gemm(b, a, transposeA: true, transposeB: true, alpha: 1, beta: 0, accumulator: nil)
        #expect(swapped.shape == [n, m])
        #expect(try swapped.toArray() == reference.transpose(product, permutation: [1, 0]).toArray())
        let aT = try reference.transpose(a, permutation: [1, 0]), bT = try reference.transpose(b, permutation: [1, 0])
        #expect(
            try reference.gemm(aT, bT, transposeA: true, transposeB: true, alpha: 1, beta: 0, accumulator: nil)
                .toArray()
                == product.toArray())
    }

    @Test("refuses what the product plan refuses")
    func refusals() throws {
        // (a, b, transpose a)
        let refused: [(Shape, Shape, Bool)] = [
            ([2, 3], [4, 5], false), ([2, 3], [3, 3], true), ([2, 3], [2, 3], false),
            ([3], [3, 2], false), ([2, 3, 1], [3, 2], false),
        ]
        for (a, b, transposeA) in refused {
            expectRefusal(as: { _ = try GEMMPlan(a: a, b: b, transposeA: transposeA, transposeB: false) }, "\(a)·\(b)")
            {
                _ = try reference.gemm(
                    reference.filled(a, value: 1), reference.filled(b, value: 1), transposeA: transposeA,
                    transposeB: false, alpha: 1, beta: 0, accumulator: nil)
            }
        }
        let plan = try GEMMPlan(a: [2, 3], b: [3, 3], transposeA: false, transposeB: false)
        let a = try reference.filled([2, 3], value: 1), square = try reference.filled([3, 3], value: 1)
        for accumulator in [nil, square] {
            let label = "accumulator \(accumulator?.shape.description ?? "nil")"
            expectRefusal(as: { _ = try plan.accumulator(accumulator, beta: 1) }, "\(label)") {
                _ = try reference.gemm(
                    a, square, transposeA: false, transposeB: false, alpha: 1, beta: 1, accumulator: accumulator)
            }
        }
    }

    @Test("a bias is added along axis 1")
    func addBias() throws {
        let x = try tensor((0..<12).map(Float.init), [2, 3, 2])
        #expect(
            try reference.addBias(x, tensor([100, 200, 300], [3])).toArray()
                == [100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311])
        #expect(throws: GlassboxError.self) { try reference.addBias(x, tensor([1, 2], [2])) }
        #expect(throws: GlassboxError.self) { try reference.addBias(tensor([1, 2, 3], [3]), tensor([1, 2, 3], [3])) }
    }
}
