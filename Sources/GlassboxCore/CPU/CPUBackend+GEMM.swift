import Foundation
import GlassboxFMAKernels

extension CPUBackend {
    public func gemm(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
                     alpha: Float, beta: Float, accumulator c: Tensor?) throws -> Tensor {
        let plan = try GEMMPlan(a: a.shape, b: b.shape, transposeA: transposeA, transposeB: transposeB)
        let (m, n, k) = (plan.m, plan.n, plan.k)
        let (result, output) = makeOutput(plan.outputShape)
        if let c = try plan.accumulator(c, beta: beta) {
            let accumulator = try storage(of: c)
            for index in 0..<output.count { output[index] = beta * accumulator[index] }
        }
        let left = try storage(of: a), right = try storage(of: b)
        let aLayout = MatrixLayout(rows: m, columns: k, transposed: transposeA)
        let bLayout = MatrixLayout(rows: k, columns: n, transposed: transposeB)
        Parallel.forEachChunk(m, costPerItem: n * k) { rows in
            GEMMKernel.multiply(rows: rows, n: n, k: k, alpha: alpha,
                                a: UnsafePointer(left.baseAddress!), aLayout: aLayout,
                                b: UnsafePointer(right.baseAddress!), bLayout: bLayout,
                                c: output.baseAddress!, ldc: n)
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
        static let preferred: Implementation = PackedGEMM.isSupported
            && ProcessInfo.processInfo.environment["GLASSBOX_CPU_KERNELS"] != "portable" ? .packedFMA : .portable
    }

    /// Panel depth: rows of B kept hot in cache while a block of C rows is updated.
    static let depthBlock = 128
    /// Column block of C and B, sized so a panel of B fits in L2.
    static let columnBlock = 512

    /// `c[i, :] += alpha · Σₖ a[i, k] · b[k, :]` for `i` in `rows`, any transposes.
    static func multiply(rows: Range<Int>, n: Int, k: Int, alpha: Float,
                         a: UnsafePointer<Float>, aLayout: MatrixLayout,
                         b: UnsafePointer<Float>, bLayout: MatrixLayout,
                         c: UnsafeMutablePointer<Float>, ldc: Int, implementation: Implementation = .preferred) {
        switch implementation {
        case .packedFMA:
            PackedGEMM.multiply(m: rows.count, n: n, k: k, alpha: alpha,
                                a: a + aLayout.offset(rows.lowerBound, 0), aRowStride: aLayout.rowStride, aColumnStride: aLayout.columnStride,
                                b: b, bRowStride: bLayout.rowStride, bColumnStride: bLayout.columnStride,
                                c: c + rows.lowerBound * ldc, ldc: ldc)
        case .portable:
            multiplyPortably(rows: rows, n: n, k: k, alpha: alpha, a: a, aLayout: aLayout, b: b, bLayout: bLayout, c: c, ldc: ldc)
        }
    }

    /// The portable path: B is packed into a contiguous row-major panel so the
    /// innermost loop is a unit-stride multiply-add the compiler vectorises.
    static func multiplyPortably(rows: Range<Int>, n: Int, k: Int, alpha: Float,
                                 a: UnsafePointer<Float>, aLayout: MatrixLayout,
                                 b: UnsafePointer<Float>, bLayout: MatrixLayout,
                                 c: UnsafeMutablePointer<Float>, ldc: Int) {
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: depthBlock * columnBlock)
        defer { panel.deallocate() }
        for columnStart in stride(from: 0, to: n, by: columnBlock) {
            let width = min(columnBlock, n - columnStart)
            for depthStart in stride(from: 0, to: k, by: depthBlock) {
                let depth = min(depthBlock, k - depthStart)
                for p in 0..<depth {
                    for j in 0..<width {
                        panel[p * width + j] = b[bLayout.offset(depthStart + p, columnStart + j)]
                    }
                }
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
