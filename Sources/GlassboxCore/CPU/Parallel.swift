import Dispatch
import Foundation

/// Work splitting for the CPU backend: runs `body` over disjoint chunks of
/// `0..<count` on all cores, or inline when the work is too small to share.
enum Parallel {
    /// The number of worker threads (the machine's active processors).
    static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` with consecutive ranges covering `0..<count`, concurrently.
    /// `costPerItem` estimates the work per index (in multiply-adds) so small
    /// loops stay on the calling thread.
    static func forEachChunk(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(count, workerCount)
        if chunks == 1 || count * costPerItem < 65_536 {
            body(0..<count)
            return
        }
        // The chunks are disjoint, so sharing the non-Sendable body is safe.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }
}
