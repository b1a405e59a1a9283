/// One end-to-end row of `MethodBenchmarks`: an explanation or uncertainty estimate of one input.
struct EndToEndRow {
    /// The row's name ("SmoothGrad-50", "LIME-1000 (8×8 grid)", …).
    var name: String
    /// The samples of one run (noisy copies, steps, occluded or perturbed copies, masks, passes).
    var samples: Int
    /// The FLOPs of one run: the model's forward FLOPs per sample times the forward passes, twice
    /// that for a forward pass and an input gradient.
    var flops: Double
    /// One run.
    var run: () throws -> Void
    /// What runs once before the timed runs; nil runs ``run``.
    var warmUp: (() throws -> Void)? = nil
}
