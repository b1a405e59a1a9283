/// The sizes of one ``Backend/gemm(_:_:transposeA:transposeB:alpha:beta:accumulator:)``
/// (`alpha·op(a)·op(b) + beta·c`), validated once so every backend checks the same things.
public struct GEMMPlan: Sendable {
    /// Rows of `op(a)` and of the result.
    public let m: Int
    /// Columns of `op(b)` and of the result.
    public let n: Int
    /// Columns of `op(a)` and rows of `op(b)`: the length of every dot product.
    public let k: Int

    /// The result's shape, `m × n`.
    public var outputShape: Shape { [m, n] }

    /// Checks that `a` and `b` are matrices whose inner dimensions agree after the
    /// transposes, throwing ``GlassboxError/shapeMismatch(_:)`` otherwise.
    public init(a: Shape, b: Shape, transposeA: Bool, transposeB: Bool) throws {
        guard a.rank == 2, b.rank == 2 else {
            throw GlassboxError.shapeMismatch("gemm needs matrices, got \(a) and \(b)")
        }
        let (m, k) = transposeA ? (a[1], a[0]) : (a[0], a[1])
        let (kB, n) = transposeB ? (b[1], b[0]) : (b[0], b[1])
        guard k == kB else {
            throw GlassboxError.shapeMismatch(
                "gemm inner dimensions differ: \(a)\(transposeA ? "ᵀ" : "") × \(b)\(transposeB ? "ᵀ" : "")")
        }
        (self.m, self.n, self.k) = (m, n, k)
    }

    /// The accumulator the product adds onto: nil when `beta` is 0 (`c` is then
    /// ignored, even when it holds NaNs, as in BLAS); otherwise `c`, which must
    /// have the result's shape (else ``GlassboxError/shapeMismatch(_:)``).
    public func accumulator(_ c: Tensor?, beta: Float) throws -> Tensor? {
        guard beta != 0 else { return nil }
        guard let c, c.shape == outputShape else {
            throw GlassboxError.shapeMismatch(
                "gemm accumulator must be \(outputShape), got \(c.map { "\($0.shape)" } ?? "none")")
        }
        return c
    }
}
