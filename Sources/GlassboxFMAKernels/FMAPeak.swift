/// The fused multiply-add throughput this module's code reaches on one core: a
/// register-resident loop of 10 independent 8-lane FMA chains, enough to cover
/// the FMA latency on two FMA pipes, with no memory traffic.
public enum FMAPeak {
    /// Runs `iterations` rounds of 10 eight-lane FMAs (160 FLOPs per round); `seed`
    /// varies the operands so repeated calls are not folded. Returns a value to keep.
    @inline(never)
    public static func multiplyAddLoop(_ iterations: Int, seed: Float) -> Float {
        typealias Vector = SIMD8<Float>
        let a = Vector(repeating: 0.999_999 - seed * 1e-9), b = Vector(repeating: 1e-7)
        var c0 = Vector(repeating: 1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0
        for _ in 0..<iterations {
            c0 = b.addingProduct(c0, a); c1 = b.addingProduct(c1, a); c2 = b.addingProduct(c2, a)
            c3 = b.addingProduct(c3, a); c4 = b.addingProduct(c4, a); c5 = b.addingProduct(c5, a)
            c6 = b.addingProduct(c6, a); c7 = b.addingProduct(c7, a); c8 = b.addingProduct(c8, a)
            c9 = b.addingProduct(c9, a)
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9).sum()
    }

    /// FLOPs per round of ``multiplyAddLoop(_:seed:)``.
    public static let flopsPerIteration = 10 * 8 * 2
}
