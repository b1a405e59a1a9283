import GlassboxFMAKernels
import GlassboxTestSupport
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

    static let cases: [Case] = [(1, 1, 1), (6, 16, 1), (7, 17, 3), (13, 2060, 5), (100, 35, 260), (97, 49, 513)].flatMap { m, n, k in
        [(false, false), (true, false), (false, true), (true, true)].map { Case(m: m, n: n, k: k, transposeA: $0.0, transposeB: $0.1) }
    }

    @Test(arguments: cases)
    func packedKernelEqualsThePortableLoops(_ test: Case) {
        var generator = SplitMix64(seed: UInt64(test.m * 31 + test.n * 7 + test.k))
        let a = generator.floats(test.m * test.k), b = generator.floats(test.k * test.n), start = generator.floats(test.m * test.n)
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
                                GEMMKernel.multiply(rows: rows, columns: 0..<test.n, k: test.k, alpha: 0.5,
                                                    a: a.baseAddress!, aLayout: aLayout, b: bLayout.matrix(at: b.baseAddress!),
                                                    c: c.baseAddress!, ldc: test.n, workspace: workspace, implementation: implementation)
                            }
                        }
                    }
                }
            }
            return c
        }
        let portable = run(.portable), packed = run(.packedFMA)
        #expect(relativeError(packed, portable.map(Double.init)) < 1e-5)
    }
}

/// B read in place (a convolution's patches from a padded image) times A packed
/// whole, against the same product by the portable loops, with segments that end
/// inside a 16-column sliver and more than one 256-deep panel.
@Suite("In-place B", .enabled(if: PackedGEMM.isSupported, "this CPU lacks the FMA kernel's instructions"))
struct OffsetRowsMatrixTests {
    @Test(arguments: [(m: 7, k: 5, segmentWidth: 13, columns: 3..<40), (m: 32, k: 300, segmentWidth: 32, columns: 0..<96),
                      (m: 100, k: 27, segmentWidth: 5, columns: 0..<25)])
    func inPlaceEqualsPacked(m: Int, k: Int, segmentWidth: Int, columns: Range<Int>) {
        var generator = SplitMix64(seed: UInt64(m * 7 + k))
        let segmentStride = segmentWidth + 9, segments = (columns.upperBound + segmentWidth - 1) / segmentWidth
        // Row p reads from offset 3·p (rows overlap, like shifted image rows), with 16 floats of slack.
        let offsets = (0..<k).map { 3 * $0 }
        let source = generator.floats(3 * k + segments * segmentStride + 16), a = generator.floats(m * k)
        let start = generator.floats(m * columns.upperBound)
        func run(_ implementation: GEMMKernel.Implementation) -> [Float] {
            var c = start
            source.withUnsafeBufferPointer { source in
                offsets.withUnsafeBufferPointer { offsets in
                    a.withUnsafeBufferPointer { a in
                        c.withUnsafeMutableBufferPointer { c in
                            let b = OffsetRowsMatrix(base: source.baseAddress!, rowOffsets: offsets.baseAddress!,
                                                     segmentWidth: segmentWidth, segmentStride: segmentStride)
                            switch implementation {
                            case .portable:
                                PackingWorkspace.withPooled { workspace in
                                    GEMMKernel.multiply(rows: 0..<m, columns: columns, k: k, alpha: 1.5, a: a.baseAddress!,
                                                        aLayout: MatrixLayout(rows: m, columns: k, transposed: false), b: b,
                                                        c: c.baseAddress!, ldc: columns.upperBound, workspace: workspace,
                                                        implementation: .portable)
                                }
                            case .packedFMA:
                                var packed = [Float](repeating: .nan, count: PackedGEMM.packedSize(m: m, k: k))
                                packed.withUnsafeMutableBufferPointer {
                                    PackedGEMM.packWhole(m: m, k: k, a: a.baseAddress!, rowStride: k, columnStride: 1, into: $0.baseAddress!)
                                }
                                packed.withUnsafeBufferPointer {
                                    PackedGEMM.multiply(m: m, columns: columns, k: k, alpha: 1.5, packedA: $0.baseAddress!, b: b,
                                                        c: c.baseAddress! + columns.lowerBound, ldc: columns.upperBound)
                                }
                            }
                        }
                    }
                }
            }
            return c
        }
        let portable = run(.portable), inPlace = run(.packedFMA)
        #expect(relativeError(inPlace, portable.map(Double.init)) < 1e-5)
        // Columns before the range are untouched by both.
        #expect(Array(inPlace.prefix(columns.lowerBound)) == Array(start.prefix(columns.lowerBound)))
    }
}
