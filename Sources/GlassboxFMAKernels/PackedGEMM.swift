import Foundation

/// Single-precision matrix multiply with packed panels and a 6×16 register-blocked
/// microkernel of fused multiply-adds (Goto & van de Geijn 2008, "Anatomy of
/// high-performance matrix multiplication"; the BLIS layout of Van Zee & van de
/// Geijn 2015).
///
/// This module is compiled for CPUs with FMA and 256-bit vectors (on x86-64,
/// `-target-cpu haswell`: AVX2 and FMA3); call it only where ``isSupported`` holds.
/// The 12 accumulators of the microkernel (6 rows × 2 eight-lane vectors) stay in
/// registers for a whole panel of depth `kc`; A is packed in slivers of 6 rows and
/// B in slivers of 16 columns, zero-padded, so the microkernel never branches.
public enum PackedGEMM {
    /// Rows of the microkernel's tile.
    static let mr = 6
    /// Columns of the microkernel's tile (two vectors of 8).
    public static let nr = 16
    /// Depth of a packed panel: a 6×kc sliver of A and a kc×16 sliver of B stay in L1.
    public static let kc = 256
    /// Rows of a packed block of A (kept in L2).
    public static let mc = 96
    /// Columns of a packed panel of B: 256 × 512 floats (512 KiB) stay in a 1 MiB L2
    /// (2048 spilled to L3 and cost 10–15% at n = 2048).
    public static let nc = 512

    /// Whether this CPU runs this module's instructions (x86-64: AVX2 and FMA in `/proc/cpuinfo`; other architectures: always).
    public static let isSupported: Bool = {
        #if arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let set = Set(flags.split(separator: " ").map(String.init))
        return set.contains("avx2") && set.contains("fma")
        #else
        return true
        #endif
    }()

    /// `c[i, j] += alpha · Σₚ a(i, p)·b(p, j)` for i < m and j in `columns`, where a(i, p)
    /// is `a[i·aRowStride + p·aColumnStride]` (so A may be transposed), B is any
    /// ``PanelSource``, and C is row-major with `ldc`, `c` pointing at element (0, columns.lowerBound).
    /// The panels are packed in `workspace`.
    public static func multiply(m: Int, columns: Range<Int>, k: Int, alpha: Float,
                                a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
                                b: some PanelSource, c: UnsafeMutablePointer<Float>, ldc: Int,
                                workspace: PackingWorkspace) {
        let n = columns.count
        guard m > 0, n > 0, k > 0 else { return }
        let (packedA, packedB) = (workspace.panelA, workspace.panelB)
        for jc in stride(from: 0, to: n, by: nc) {
            let width = min(nc, n - jc)
            for pc in stride(from: 0, to: k, by: kc) {
                let depth = min(kc, k - pc)
                packB(b, rows: pc..<(pc + depth), columns: (columns.lowerBound + jc)..<(columns.lowerBound + jc + width),
                      into: packedB)
                for ic in stride(from: 0, to: m, by: mc) {
                    let height = min(mc, m - ic)
                    packA(height: height, depth: depth, from: a + ic * aRowStride + pc * aColumnStride,
                          rowStride: aRowStride, columnStride: aColumnStride, into: packedA)
                    for jr in stride(from: 0, to: width, by: nr) {
                        for ir in stride(from: 0, to: height, by: mr) {
                            microkernel(depth: depth, a: packedA + ir * depth, b: packedB + jr * depth,
                                        c: c + (ic + ir) * ldc + jc + jr, ldc: ldc,
                                        rows: min(mr, height - ir), columns: min(nr, width - jr), alpha: alpha)
                        }
                    }
                }
            }
        }
    }

    /// Floats that ``packWhole(m:k:a:rowStride:columnStride:into:)`` writes for an m × k matrix.
    public static func packedSize(m: Int, k: Int) -> Int { (m + mr - 1) / mr * mr * k }

    /// Packs all of an m × k matrix A, element (i, p) at `a[i·rowStride + p·columnStride]`,
    /// in slivers of 6 rows over the whole depth, for
    /// ``multiply(m:columns:k:alpha:packedA:b:c:ldc:)``: a layer's weights are packed
    /// once and serve every sample.
    public static func packWhole(m: Int, k: Int, a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                                 into packed: UnsafeMutablePointer<Float>) {
        packA(height: m, depth: k, from: a, rowStride: rowStride, columnStride: columnStride, into: packed)
    }

    /// `c[i, j] += alpha · Σₚ a(i, p)·b(p, j)` for i < m and j in `columns`, with A packed
    /// by ``packWhole(m:k:a:rowStride:columnStride:into:)`` and B read in place, never
    /// packed (the indirect GEMM of Dukhan 2019, "The indirect convolution algorithm");
    /// `c` points at element (0, columns.lowerBound). Each microkernel reads 16 columns,
    /// so `b` must be readable 15 floats past each segment's end.
    public static func multiply(m: Int, columns: Range<Int>, k: Int, alpha: Float, packedA: UnsafePointer<Float>,
                                b: OffsetRowsMatrix, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, !columns.isEmpty, k > 0 else { return }
        for pc in stride(from: 0, to: k, by: kc) {
            let depth = min(kc, k - pc)
            let offsets = b.rowOffsets + pc
            // Slivers of 16 columns never cross a segment, so each reads contiguous rows.
            var column = columns.lowerBound
            while column < columns.upperBound {
                let x = column % b.segmentWidth
                let width = min(nr, b.segmentWidth - x, columns.upperBound - column)
                let sliver = UnsafeRawPointer(b.columnStart(column))
                for ir in stride(from: 0, to: m, by: mr) {
                    microkernel(depth: depth, a: packedA + ir * k + pc * mr, c: c + ir * ldc + column - columns.lowerBound,
                                ldc: ldc, rows: min(mr, m - ir), columns: width, alpha: alpha) { p in
                        sliver + offsets[p] * MemoryLayout<Float>.stride
                    }
                }
                column += width
            }
        }
    }

    /// Slivers of 6 rows: element (i, p) of sliver s at `s·6·depth + p·6 + i`, zero beyond the last row.
    static func packA(height: Int, depth: Int, from a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                      into packed: UnsafeMutablePointer<Float>) {
        for sliver in stride(from: 0, to: height, by: mr) {
            let target = packed + sliver * depth
            let rows = min(mr, height - sliver)
            for p in 0..<depth {
                for i in 0..<mr {
                    target[p * mr + i] = i < rows ? a[(sliver + i) * rowStride + p * columnStride] : 0
                }
            }
        }
    }

    /// Slivers of 16 columns from `b`, the last one zero-padded to full width.
    static func packB(_ b: some PanelSource, rows: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        b.pack(rows: rows, columns: columns, sliverWidth: nr, into: packed)
        let filled = columns.count % nr
        guard filled > 0 else { return }
        let lastSliver = packed + (columns.count - filled) * rows.count
        for p in 0..<rows.count { (lastSliver + p * nr + filled).update(repeating: 0, count: nr - filled) }
    }

    /// C[0..<rows, 0..<columns] += alpha · A·B for a 6×depth sliver of A and a depth×16 sliver of B.
    @inline(__always)
    static func microkernel(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, alpha: Float) {
        let bRaw = UnsafeRawPointer(b)
        microkernel(depth: depth, a: a, c: c, ldc: ldc, rows: rows, columns: columns, alpha: alpha) { p in bRaw + p * 64 }
    }

    /// The microkernel with row p of the 16-column sliver of B read (16 floats) at `bRow(p)`.
    @inline(__always)
    static func microkernel(depth: Int, a: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                            rows: Int, columns: Int, alpha: Float, bRow: (Int) -> UnsafeRawPointer) {
        typealias Vector = SIMD8<Float>
        var c00 = Vector(), c01 = Vector(), c10 = Vector(), c11 = Vector(), c20 = Vector(), c21 = Vector()
        var c30 = Vector(), c31 = Vector(), c40 = Vector(), c41 = Vector(), c50 = Vector(), c51 = Vector()
        for p in 0..<depth {
            let bAddress = bRow(p)
            let b0 = bAddress.loadUnaligned(as: Vector.self)
            let b1 = bAddress.loadUnaligned(fromByteOffset: 32, as: Vector.self)
            let row = a + p * 6
            var s = Vector(repeating: row[0])
            c00.addProduct(s, b0); c01.addProduct(s, b1)
            s = Vector(repeating: row[1])
            c10.addProduct(s, b0); c11.addProduct(s, b1)
            s = Vector(repeating: row[2])
            c20.addProduct(s, b0); c21.addProduct(s, b1)
            s = Vector(repeating: row[3])
            c30.addProduct(s, b0); c31.addProduct(s, b1)
            s = Vector(repeating: row[4])
            c40.addProduct(s, b0); c41.addProduct(s, b1)
            s = Vector(repeating: row[5])
            c50.addProduct(s, b0); c51.addProduct(s, b1)
        }
        let scale = Vector(repeating: alpha)
        /// Adds alpha·(low, high) to row i of C.
        @inline(__always) func store(_ i: Int, _ low: Vector, _ high: Vector) {
            guard i < rows else { return }
            if columns == nr {
                let target = UnsafeMutableRawPointer(c + i * ldc)
                target.storeBytes(of: target.loadUnaligned(as: Vector.self).addingProduct(scale, low), as: Vector.self)
                target.storeBytes(of: target.loadUnaligned(fromByteOffset: 32, as: Vector.self).addingProduct(scale, high),
                                  toByteOffset: 32, as: Vector.self)
            } else {
                for j in 0..<columns { c[i * ldc + j] += alpha * (j < 8 ? low[j] : high[j - 8]) }
            }
        }
        store(0, c00, c01)
        store(1, c10, c11)
        store(2, c20, c21)
        store(3, c30, c31)
        store(4, c40, c41)
        store(5, c50, c51)
    }
}
