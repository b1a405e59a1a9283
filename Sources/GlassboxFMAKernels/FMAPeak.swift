internal import CGlassboxFMA

/// The fused multiply-add throughput the microkernel's code reaches on one core: a
/// register-resident loop of 10 independent 8-lane FMA chains, enough to cover
/// the FMA latency on two FMA pipes, with no memory traffic. The loop is C (the
/// `CGlassboxFMA` target), compiled like the microkernel of ``PackedGEMM`` (Goto &
/// van de Geijn 2008) for AVX2 + FMA on x86-64; call it only where
/// ``PackedGEMM/isSupported`` holds.
public enum FMAPeak {
    /// Runs `iterations` rounds of 10 eight-lane FMAs (160 FLOPs per round); `seed`
    /// varies the operands so repeated calls are not folded. Returns a value to keep.
    public static func multiplyAddLoop(_ iterations: Int, seed: Float) -> Float {
        glassbox_fma_peak_loop(iterations, seed)
    }

    /// FLOPs per round of ``multiplyAddLoop(_:seed:)``.
    public static let flopsPerIteration = 10 * 8 * 2
}
