/// Splits batched work (N noisy copies, S interpolation steps, T dropout masks)
/// into chunks that fit a memory budget, and into smaller ones when the device
/// still runs out of memory.
public enum BatchChunking {
    /// How many samples of `bytesPerSample` fit in `fraction` of the backend's
    /// memory (at least one).
    public static func samplesFitting(_ backend: any Backend, bytesPerSample: Int, fraction: Double = 0.5) -> Int {
        let budget = Double(backend.memoryCapacity) * fraction
        return max(1, Int(budget / Double(max(bytesPerSample, 1))))
    }

    /// Calls `body` on consecutive ranges covering `0..<total`, each at most
    /// `maximumChunk` long. When `body` throws ``GlassboxError/outOfMemory(_:)``
    /// the same range is retried in halves, down to a single sample; only then
    /// does the error propagate. Returns the chunk size that succeeded last.
    @discardableResult
    public static func forEachChunk(total: Int, maximumChunk: Int, _ body: (Range<Int>) throws -> Void) throws -> Int {
        var chunk = max(1, maximumChunk)
        var start = 0
        while start < total {
            let range = start..<min(start + chunk, total)
            do {
                try body(range)
                start = range.upperBound
            } catch GlassboxError.outOfMemory(let message) {
                guard chunk > 1 else { throw GlassboxError.outOfMemory(message) }
                chunk = (chunk + 1) / 2
            }
        }
        return chunk
    }
}
