import GlassboxConformance
import GlassboxFMAKernels
import Testing

@testable import GlassboxCore

/// The packed FMA kernel against the portable loops, on shapes that cross every
/// block edge (6-row and 16-column tiles, the 96-row, 256-deep and 2048-wide
/// blocks) with every transpose, a non-unit alpha and a non-zero C.
@Suite("Packed FMA GEMM", .enabled(if: PackedGEMM.isSupported, "this CPU lacks the FMA kernel's instructions"))
struct PackedGEMMTests {
    struct Case: CustomStringConvertible, Sendable {
        var m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
        var description: String { "\(m)×\(n)×\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "")" }
    }

    static let cases: [Case] = [(1, 1, 1), (6, 16, 1), (7, 17, 3), (13, 2060, 5), (100, 35, 260), (97, 49, 513)].flatMap
    { m, n, k in
        [(false, false), (true, false), (false, true), (true, true)].map {
            Case(m: m, n: n, k: k, transposeA: $0.0, transposeB: $0.1)
        }
    }

    @Test(arguments: cases)
    func packedKernelEqualsThePortableLoops(_ test: Case) {
        var generator = SplitMix64(seed: UInt64(test.m * 31 + test.n * 7 + test.k))
        let a = generator.floats(test.m * test.k), b = generator.floats(test.k * test.n),
            start = generator.floats(test.m * test.n)
        let aLayout = MatrixLayout(rows: test.m, columns: test.k, transposed: test.transposeA)
        let bLayout = MatrixLayout(rows: test.k, columns: test.n, transposed: test.transposeB)
        func run(_ implementation: GEMMKernel.Implementation) -> [Float] {
            var c = start
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        // Two row ranges, as the backend splits rows over cores.
                        for rows in [0..<(test.m / 2), (test.m / 2)..<test.m] {
                            PackingWorkspace.withPooled { workspace in
                                GEMMKernel.multiply(
                                    rows: rows, columns: 0..<test.n, k: test.k, alpha: 0.5,
                                    a: a.baseAddress!, aLayout: aLayout, b: bLayout.matrix(at: b.baseAddress!),
                                    c: c.baseAddress!, ldc: test.n, workspace: workspace, implementation: implementation
                                )
                            }
                        }
                    }
                }
            }
            return c
        }
        let portable = run(.portable), packed = run(.packedFMA)
        #expect(normalisedError(packed, portable.map(Double.init)) < 1e-5)
    }
}
