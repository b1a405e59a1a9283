import GlassboxConformance
import GlassboxFMAKernels
import Testing

/// The arithmetic of ``PackedGEMM``'s microkernel, bit for bit, against a scalar
/// statement of it: over each 256-deep panel, per element, an FMA chain over p in
/// order from zero, then `c = fma(alpha, acc, c)` on a full 16-column tile and
/// `c = c + alpha * acc` (rounded product, rounded sum) on a narrower one. The
/// shapes reach the edges the comparisons with the portable loops leave out:
/// depth 1 and a depth one past a panel, row counts that are and are not multiples
/// of 6, partial tiles in both kernels, and the 512-column block edge.
@Suite(
    "FMA microkernel arithmetic", .enabled(if: PackedGEMM.isSupported, "this CPU lacks the FMA kernel's instructions"))
struct PackedGEMMArithmeticTests {
    /// Floats in [-1, 1) with full 24-bit mantissas, so a fused and an unfused
    /// multiply-add round differently.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return generator.floats(count)
    }

    /// C += alpha·A·B as the microkernel rounds it; `fullTile(j)` says whether
    /// column j (counted from the first column multiplied) lies in a 16-wide tile.
    static func reference(
        m: Int, n: Int, k: Int, alpha: Float, a: (Int, Int) -> Float, b: (Int, Int) -> Float,
        c: inout [Float], at: (Int, Int) -> Int, fullTile: (Int) -> Bool
    ) {
        for panel in stride(from: 0, to: k, by: PackedGEMM.kc) {
            for i in 0..<m {
                for j in 0..<n {
                    var acc: Float = 0
                    for p in panel..<min(k, panel + PackedGEMM.kc) { acc = acc.addingProduct(a(i, p), b(p, j)) }
                    let index = at(i, j)
                    if fullTile(j) {
                        c[index] = c[index].addingProduct(alpha, acc)
                    } else {
                        let product = alpha * acc
                        c[index] = c[index] + product
                    }
                }
            }
        }
    }

    /// Every element's bits equal, or one issue naming how many differ and the first.
    static func expectIdentical(
        _ actual: [Float], _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let differing = actual.indices.filter { actual[$0].bitPattern != expected[$0].bitPattern }
        let count = differing.count,
            first = differing.first.map { "\($0): \(actual[$0]) instead of \(expected[$0])" } ?? ""
        #expect(
            count == 0, "\(count) of \(actual.count) elements differ; the first at \(first)",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        (m: 1, n: 16, k: 1), (m: 6, n: 17, k: 1), (m: 12, n: 530, k: 2), (m: 13, n: 35, k: 256),
        (m: 100, n: 40, k: 257),
    ])
    func packedBIsExact(m: Int, n: Int, k: Int) {
        let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2), start = Self.values(m * (n + 3), seed: 3)
        let ldc = n + 3, alpha: Float = 0.75
        var expected = start
        // Tiles of 16 from the start of each 512-column block; the last of a block may be narrower.
        Self.reference(
            m: m, n: n, k: k, alpha: alpha, a: { a[$0 * k + $1] }, b: { b[$0 * n + $1] }, c: &expected,
            at: { $0 * ldc + $1 + 1 }
        ) { j in
            let blockStart = j / PackedGEMM.nc * PackedGEMM.nc, blockWidth = min(PackedGEMM.nc, n - blockStart)
            return (j - blockStart) / PackedGEMM.nr * PackedGEMM.nr + PackedGEMM.nr <= blockWidth
        }
        let panelA = UnsafeMutablePointer<Float>.allocate(capacity: PackingWorkspace.panelACapacity)
        let panelB = UnsafeMutablePointer<Float>.allocate(capacity: PackingWorkspace.panelBCapacity)
        defer {
            panelA.deallocate()
            panelB.deallocate()
        }
        var c = start
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    PackedGEMM.multiply(
                        m: m, columns: 0..<n, k: k, alpha: alpha, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                        b: StridedMatrix(base: b.baseAddress!, rowStride: n, columnStride: 1),
                        c: c.baseAddress! + 1, ldc: ldc, workspace: PackingWorkspace(panelA: panelA, panelB: panelB))
                }
            }
        }
        Self.expectIdentical(c, expected)
    }

    @Test(arguments: [
        (m: 6, k: 1, segmentWidth: 16, columns: 0..<48), (m: 12, k: 1, segmentWidth: 13, columns: 2..<40),
        (m: 13, k: 258, segmentWidth: 21, columns: 0..<42), (m: 5, k: 3, segmentWidth: 40, columns: 7..<40),
        (m: 7, k: 5, segmentWidth: 13, columns: 3..<40), (m: 32, k: 300, segmentWidth: 32, columns: 0..<96),
        (m: 100, k: 27, segmentWidth: 5, columns: 0..<25),
    ])
    func inPlaceIsExact(m: Int, k: Int, segmentWidth: Int, columns: Range<Int>) {
        let segmentStride = segmentWidth + 5, segments = (columns.upperBound + segmentWidth - 1) / segmentWidth
        // Row p starts 2·p floats in (overlapping rows, like shifted image rows), with 16 floats of slack.
        let offsets = (0..<k).map { 2 * $0 }
        let source = Self.values(2 * k + segments * segmentStride + 16, seed: 4), a = Self.values(m * k, seed: 5)
        let ldc = columns.upperBound, start = Self.values(m * ldc, seed: 6), alpha: Float = 1.5
        func element(_ p: Int, _ j: Int) -> Float {
            let column = columns.lowerBound + j
            return source[offsets[p] + column / segmentWidth * segmentStride + column % segmentWidth]
        }
        // Tiles of up to 16 from the first column, never crossing a segment.
        var full = [Bool](), column = columns.lowerBound
        while column < columns.upperBound {
            let width = min(PackedGEMM.nr, segmentWidth - column % segmentWidth, columns.upperBound - column)
            full += Array(repeating: width == PackedGEMM.nr, count: width)
            column += width
        }
        var expected = start
        Self.reference(
            m: m, n: columns.count, k: k, alpha: alpha, a: { a[$0 * k + $1] }, b: element, c: &expected,
            at: { $0 * ldc + columns.lowerBound + $1 }, fullTile: { full[$0] })
        var c = start
        var packed = [Float](repeating: .nan, count: PackedGEMM.packedSize(m: m, k: k))
        a.withUnsafeBufferPointer { a in
            packed.withUnsafeMutableBufferPointer {
                PackedGEMM.packWhole(
                    m: m, k: k, a: a.baseAddress!, rowStride: k, columnStride: 1, into: $0.baseAddress!)
            }
        }
        source.withUnsafeBufferPointer { source in
            offsets.withUnsafeBufferPointer { offsets in
                packed.withUnsafeBufferPointer { packed in
                    c.withUnsafeMutableBufferPointer { c in
                        let b = OffsetRowsMatrix(
                            base: source.baseAddress!, rowOffsets: offsets.baseAddress!,
                            segmentWidth: segmentWidth, segmentStride: segmentStride)
                        PackedGEMM.multiply(
                            m: m, columns: columns, k: k, alpha: alpha, packedA: packed.baseAddress!, b: b,
                            c: c.baseAddress! + columns.lowerBound, ldc: ldc)
                    }
                }
            }
        }
        Self.expectIdentical(c, expected)
    }
}
