import Foundation
import GlassboxFMAKernels

extension CPUBackend {
    public func gemm(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
        alpha: Float, beta: Float, accumulator c: Tensor?
    ) throws -> Tensor {
        let plan = try GEMMPlan(a: a.shape, b: b.shape, transposeA: transposeA, transposeB: transposeB)
        let (m, n, k) = (plan.m, plan.n, plan.k)
        let (result, output) = makeOutput(plan.outputShape)
        if let c = try plan.accumulator(c, beta: beta) {
            let accumulator = try storage(of: c)
            for index in 0..<output.count { output[index] = beta * accumulator[index] }
        }
        let left = try storage(of: a), right = try storage(of: b)
        let aLayout = MatrixLayout(rows: m, columns: k, transposed: transposeA)
        let b = MatrixLayout(rows: k, columns: n, transposed: transposeB).matrix(at: right.baseAddress!)
        Parallel.forEachChunk(m, costPerItem: n * k) { rows in
            PackingWorkspace.withPooled { workspace in
                GEMMKernel.multiply(
                    rows: rows, columns: 0..<n, k: k, alpha: alpha,
                    a: UnsafePointer(left.baseAddress!), aLayout: aLayout, b: b, c: output.baseAddress!, ldc: n,
                    workspace: workspace)
            }
        }
        return result
    }

    public func addBias(_ x: Tensor, _ bias: Tensor) throws -> Tensor {
        guard x.shape.rank >= 2, bias.shape == [x.shape[1]] else {
            throw GlassboxError.shapeMismatch("bias \(bias.shape) does not match axis 1 of \(x.shape)")
        }
        let input = try storage(of: x), values = try storage(of: bias)
        let (result, output) = makeOutput(x.shape)
        let channels = x.shape[1], inner = x.shape.stride(of: 1)
        // One plane (sample × channel) at a time, the planes split over the cores.
        Parallel.forEachChunk(input.count / max(inner, 1), costPerItem: inner) { planes in
            for plane in planes {
                let value = values[plane % channels], base = plane * inner
                for index in base..<(base + inner) { output[index] = input[index] + value }
            }
        }
        return result
    }
}

/// Where element (row, column) of a logical matrix sits in row-major storage
/// that may hold the matrix transposed.
struct MatrixLayout {
    let rowStride: Int
    let columnStride: Int

    init(rows: Int, columns: Int, transposed: Bool) {
        (rowStride, columnStride) = transposed ? (1, rows) : (columns, 1)
    }

    @inline(__always) func offset(_ row: Int, _ column: Int) -> Int { row * rowStride + column * columnStride }

    /// The matrix with this layout stored at `base`, as the B operand of a product.
    func matrix(at base: UnsafePointer<Float>) -> StridedMatrix {
        StridedMatrix(base: base, rowStride: rowStride, columnStride: columnStride)
    }
}

/// Single-threaded blocked matrix product kernels shared by GEMM and convolution.
enum GEMMKernel {
    /// Which implementation runs a product.
    enum Implementation: Sendable {
        /// Plain blocked loops in portable Swift: the reference the fast path is tested against.
        case portable
        /// ``PackedGEMM``'s packed panels and 6×16 FMA microkernel (AVX2 + FMA on x86-64).
        case packedFMA

        /// The packed kernel where the CPU supports it, unless `GLASSBOX_CPU_KERNELS=portable`.
        static let preferred: Implementation =
            PackedGEMM.isSupported
                && ProcessInfo.processInfo.environment["GLASSBOX_CPU_KERNELS"] != "portable" ? .packedFMA : .portable
    }

    /// Panel depth: rows of B kept hot in cache while a block of C rows is updated.
    static let depthBlock = 128
    /// Column block of C and B, sized so a panel of B fits in L2 (and in a ``PackingWorkspace``'s panel of B).
    static let columnBlock = 512

    /// `c[i, j] += alpha · Σₚ a[i, p] · b(p, j)` for `i` in `rows` and `j` in `columns`,
    /// A in any layout, B any ``PanelSource``, C row-major with `ldc` from element (0, 0);
    /// B is packed in `workspace`.
    static func multiply(
        rows: Range<Int>, columns: Range<Int>, k: Int, alpha: Float,
        a: UnsafePointer<Float>, aLayout: MatrixLayout, b: some PanelSource,
        c: UnsafeMutablePointer<Float>, ldc: Int, workspace: PackingWorkspace,
        implementation: Implementation = .preferred
    ) {
        switch implementation {
        case .packedFMA:
            PackedGEMM.multiply(
                m: rows.count, columns: columns, k: k, alpha: alpha,
                a: a + aLayout.offset(rows.lowerBound, 0), aRowStride: aLayout.rowStride,
                aColumnStride: aLayout.columnStride,
                b: b, c: c + rows.lowerBound * ldc + columns.lowerBound, ldc: ldc, workspace: workspace)
        case .portable:
            multiplyPortably(
                rows: rows, columns: columns, k: k, alpha: alpha, a: a, aLayout: aLayout, b: b, c: c, ldc: ldc,
                panel: workspace.panelB)
        }
    }

    /// The portable path: B is packed into a contiguous row-major panel so the
    /// innermost loop is a unit-stride multiply-add the compiler vectorises.
    static func multiplyPortably(
        rows: Range<Int>, columns: Range<Int>, k: Int, alpha: Float,
        a: UnsafePointer<Float>, aLayout: MatrixLayout, b: some PanelSource,
        c: UnsafeMutablePointer<Float>, ldc: Int, panel: UnsafeMutablePointer<Float>
    ) {
        for columnStart in stride(from: columns.lowerBound, to: columns.upperBound, by: columnBlock) {
            let width = min(columnBlock, columns.upperBound - columnStart)
            for depthStart in stride(from: 0, to: k, by: depthBlock) {
                let depth = min(depthBlock, k - depthStart)
                b.pack(
                    rows: depthStart..<(depthStart + depth), columns: columnStart..<(columnStart + width),
                    sliverWidth: width, into: panel)
                for i in rows {
                    let cRow = c + i * ldc + columnStart
                    for p in 0..<depth {
                        let scale = alpha * a[aLayout.offset(i, depthStart + p)]
                        if scale == 0 { continue }
                        let bRow = panel + p * width
                        for j in 0..<width { cRow[j] += scale * bRow[j] }
                    }
                }
            }
        }
    }
}
