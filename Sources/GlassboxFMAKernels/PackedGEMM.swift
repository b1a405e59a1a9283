internal import CGlassboxFMA
import Foundation

/// Single-precision matrix multiply with packed panels and a 6×16 register-blocked
/// microkernel of fused multiply-adds (Goto & van de Geijn 2008, "Anatomy of
/// high-performance matrix multiplication"; the BLIS layout of Van Zee & van de
/// Geijn 2015).
///
/// The blocking and packing are Swift; the microkernel is C (the `CGlassboxFMA`
/// target), its functions compiled for FMA and 256-bit vectors by a target
/// attribute (on x86-64, AVX2 and FMA3) rather than by a package-wide compiler
/// flag, so the package carries no unsafe flags; call it only where ``isSupported``
/// holds. The 12 accumulators of the microkernel (6 rows × 2 eight-lane vectors)
/// stay in registers for a whole panel of depth `kc`; A is packed in slivers of 6
/// rows and B in slivers of 16 columns, zero-padded, so the microkernel never
/// branches. One call of the C kernel multiplies one 16-column sliver of B by every
/// 6-row sliver of a block of A.
public enum PackedGEMM {
    /// Rows of the microkernel's tile.
    static let mr = Int(GLASSBOX_FMA_MR)
    /// Columns of the microkernel's tile (two vectors of 8).
    public static let nr = Int(GLASSBOX_FMA_NR)
    /// Depth of a packed panel: a 6×kc sliver of A and a kc×16 sliver of B stay in L1.
    public static let kc = 256
    /// Rows of a packed block of A (kept in L2).
    public static let mc = 96
    /// Columns of a packed panel of B: 256 × 512 floats (512 KiB) stay in a 1 MiB L2
    /// (2048 spilled to L3 and cost 10–15% at n = 2048).
    public static let nc = 512

    /// Whether this CPU runs the microkernel's instructions (x86-64: AVX2 and FMA in
    /// `/proc/cpuinfo`; other architectures: always, as aarch64 has FMA and 128-bit
    /// vectors in its base set and elsewhere the kernel is portable vector code).
    public static let isSupported: Bool = {
        #if arch(x86_64) || arch(i386)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return false }
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
    public static func multiply(
        m: Int, columns: Range<Int>, k: Int, alpha: Float,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: some PanelSource, c: UnsafeMutablePointer<Float>, ldc: Int,
        workspace: PackingWorkspace
    ) {
        let n = columns.count
        guard m > 0, n > 0, k > 0 else { return }
        let (packedA, packedB) = (workspace.panelA, workspace.panelB)
        for jc in stride(from: 0, to: n, by: nc) {
            let width = min(nc, n - jc)
            for pc in stride(from: 0, to: k, by: kc) {
                let depth = min(kc, k - pc)
                packB(
                    b, rows: pc..<(pc + depth), columns: (columns.lowerBound + jc)..<(columns.lowerBound + jc + width),
                    into: packedB)
                for ic in stride(from: 0, to: m, by: mc) {
                    let height = min(mc, m - ic)
                    packA(
                        height: height, depth: depth, from: a + ic * aRowStride + pc * aColumnStride,
                        rowStride: aRowStride, columnStride: aColumnStride, into: packedA)
                    // One kernel call per 16-column sliver of B, over all 6-row slivers of A.
                    for jr in stride(from: 0, to: width, by: nr) {
                        glassbox_fma_gemm_packed_b(
                            depth, height, min(nr, width - jr), alpha, packedA, mr * depth,
                            packedB + jr * depth, c + ic * ldc + jc + jr, ldc)
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
    public static func packWhole(
        m: Int, k: Int, a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        packA(height: m, depth: k, from: a, rowStride: rowStride, columnStride: columnStride, into: packed)
    }

    /// `c[i, j] += alpha · Σₚ a(i, p)·b(p, j)` for i < m and j in `columns`, with A packed
    /// by ``packWhole(m:k:a:rowStride:columnStride:into:)`` and B read in place, never
    /// packed (the indirect GEMM of Dukhan 2019, "The indirect convolution algorithm");
    /// `c` points at element (0, columns.lowerBound). Each microkernel reads 16 columns,
    /// so `b` must be readable 15 floats past each segment's end.
    public static func multiply(
        m: Int, columns: Range<Int>, k: Int, alpha: Float, packedA: UnsafePointer<Float>,
        b: OffsetRowsMatrix, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, !columns.isEmpty, k > 0 else { return }
        for pc in stride(from: 0, to: k, by: kc) {
            let depth = min(kc, k - pc)
            let offsets = b.rowOffsets + pc
            // Slivers of 16 columns never cross a segment, so each reads contiguous rows.
            var column = columns.lowerBound
            while column < columns.upperBound {
                let x = column % b.segmentWidth
                let width = min(nr, b.segmentWidth - x, columns.upperBound - column)
                // Row p of the sliver is at sliver + offsets[p]; one call covers every 6-row sliver of A.
                glassbox_fma_gemm_offset_rows(
                    depth, m, width, alpha, packedA + pc * mr, mr * k, b.columnStart(column),
                    offsets, c + column - columns.lowerBound, ldc)
                column += width
            }
        }
    }

    /// Slivers of 6 rows: element (i, p) of sliver s at `s·6·depth + p·6 + i`, zero beyond the last row.
    static func packA(
        height: Int, depth: Int, from a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
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
    static func packB(
        _ b: some PanelSource, rows: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>
    ) {
        b.pack(rows: rows, columns: columns, sliverWidth: nr, into: packed)
        let filled = columns.count % nr
        guard filled > 0 else { return }
        let lastSliver = packed + (columns.count - filled) * rows.count
        for p in 0..<rows.count { (lastSliver + p * nr + filled).update(repeating: 0, count: nr - filled) }
    }
}
