import GlassboxCore

extension OpenCLBackend {
    public func gemm(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
        alpha: Float, beta: Float, accumulator c: Tensor?
    ) throws -> Tensor {
        let plan = try GEMMPlan(a: a.shape, b: b.shape, transposeA: transposeA, transposeB: transposeB)
        let accumulator = try plan.accumulator(c, beta: beta)
        try checkIndexable(a.shape, b.shape)
        let result = try makeOutput(plan.outputShape)
        try enqueueGEMM(
            m: plan.m, n: plan.n, k: plan.k,
            a: MatrixBatch(a, transposed: transposeA), b: MatrixBatch(b, transposed: transposeB),
            into: MatrixBatch(result), accumulator: accumulator, alpha: alpha, beta: beta)
        return result
    }

    /// Enqueues `kernel_gemm` of `Kernels/gemm.cl` for `count` products at once:
    /// product z writes `alpha·op(aᶻ)·op(bᶻ) + beta·accumulatorᶻ` (m × n, op(a) m × k)
    /// to matrix z of `c`. The accumulator has `c`'s layout and is read only when
    /// `beta` ≠ 0; it may be `c`'s own tensor, to add onto what `c` holds.
    func enqueueGEMM(
        m: Int, n: Int, k: Int, a: MatrixBatch, b: MatrixBatch, into c: MatrixBatch,
        accumulator: Tensor? = nil, alpha: Float, beta: Float, count: Int = 1
    ) throws {
        let (group, tile) = (gemmTiling.group, gemmTiling.tile)
        try checkIndexable(c.tensor.shape)
        try launch(
            "kernel_gemm", global: [(n + tile - 1) / tile * group, (m + tile - 1) / tile * group, count],
            local: [group, group, 1],
            a.arguments(count: count) + b.arguments(count: count)
                + [.tensor(c.tensor), .tensor(accumulator ?? c.tensor)] + c.arguments(count: count).dropFirst()
                + [
                    .int(m), .int(n), .int(k), .int(a.transposed ? 1 : 0), .int(b.transposed ? 1 : 0),
                    .float(alpha), .float(beta),
                ])
    }

    /// Throws `GlassboxError.invalidArgument(_:)` when a tensor has more elements
    /// than the kernels' 32-bit `int` indices reach.
    func checkIndexable(_ shapes: Shape...) throws {
        if let large = shapes.first(where: { $0.count > Int(Int32.max) }) {
            throw GlassboxError.invalidArgument(
                "a tensor of shape \(large) is beyond the 32-bit indices of the OpenCL kernels")
        }
    }
}

/// Where the row-major matrices of a batched `enqueueGEMM`
/// lie in a tensor: matrix z starts at `offset + (z % period)·stride`, so a period
/// shorter than the batch reuses matrices (one weight matrix per convolution group,
/// whatever the sample). No copies are made.
struct MatrixBatch {
    var tensor: Tensor
    var offset = 0
    var stride = 0
    /// Repeat length of the matrices; nil for as many matrices as products.
    var period: Int?
    /// Whether the tensor holds the matrix's transpose (for operands only).
    var transposed = false

    init(_ tensor: Tensor, offset: Int = 0, stride: Int = 0, period: Int? = nil, transposed: Bool = false) {
        (self.tensor, self.offset, self.stride, self.period, self.transposed) = (
            tensor, offset, stride, period, transposed
        )
    }

    /// The kernel's (buffer, offset, stride, period) arguments for `count` products.
    func arguments(count: Int) -> [OpenCLBackend.Argument] {
        [.tensor(tensor), .int(offset), .int(stride), .int(max(period ?? count, 1))]
    }
}
