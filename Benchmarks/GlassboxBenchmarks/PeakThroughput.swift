import Dispatch
import Foundation
import GlassboxFMAKernels

/// The host's measured single-precision peak: every core runs a register-resident
/// loop of independent 8-lane fused multiply-adds from the kernel module
/// (``FMAPeak``, AVX2 + FMA on x86-64), with no memory traffic — the most the
/// CPU's FMA units give this build's code. On a CPU without the FMA kernels it
/// is the same loop with separate multiplies and adds in portable code.
enum PeakThroughput {
    static func hostGFLOPS(seconds: Double) -> Double {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let iterations = 1 << 22
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: cores)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: cores) { core in
            var best = 0.0, round = 0
            let start = Date()
            repeat {
                let began = Date()
                // A different argument each round, so the pure call is not hoisted out of the loop.
                let sink =
                    PackedGEMM.isSupported
                    ? FMAPeak.multiplyAddLoop(iterations, seed: Float(round))
                    : portableLoop(iterations, seed: Float(round))
                let elapsed = Date().timeIntervalSince(began)
                if sink.isNaN { print("") }
                best = max(best, Double(iterations * FMAPeak.flopsPerIteration) / elapsed / 1e9)
                round += 1
            } while Date().timeIntervalSince(start) < seconds
            results[core] = best
        }
        return results.reduce(0, +)
    }

    /// ``FMAPeak``'s loop as separate multiplies and adds, for CPUs without FMA.
    @inline(never)
    static func portableLoop(_ iterations: Int, seed: Float) -> Float {
        let a = SIMD8<Float>(repeating: 0.999_999 - seed * 1e-9), b = SIMD8<Float>(repeating: 1e-7)
        var c0 = SIMD8<Float>(repeating: 1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0,
            c9 = c0
        for _ in 0..<iterations {
            c0 = c0 * a + b
            c1 = c1 * a + b
            c2 = c2 * a + b
            c3 = c3 * a + b
            c4 = c4 * a + b
            c5 = c5 * a + b
            c6 = c6 * a + b
            c7 = c7 * a + b
            c8 = c8 * a + b
            c9 = c9 * a + b
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9).sum()
    }
}
