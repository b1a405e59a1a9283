import GlassboxCore
import GlassboxNN

/// How a method's batch of samples (inputs, noisy copies, interpolation steps, occluded
/// copies, dropout masks) runs through a model: the one place that sizes chunks by the
/// ``MemoryBudget`` and retries a chunk in halves when the device runs out of memory
/// (``BatchChunking``).
struct SampleChunks {
    /// The most samples per chunk.
    let size: Int

    /// Chunks of at most `batchSize` samples when given, else as many as the memory
    /// budget of `model` allows (with or without a backward pass).
    init(model: Graph, backward: Bool, batchSize: Int?) {
        size = batchSize ?? MemoryBudget.samplesPerChunk(for: model, backward: backward)
    }

    /// Calls `body` on consecutive ranges covering `0..<total`.
    func forEach(total: Int, _ body: (Range<Int>) throws -> Void) throws {
        try BatchChunking.forEachChunk(total: total, maximumChunk: size, body)
    }

    /// The statistics of `total` samples, each chunk's from `chunk`, merged (Chan et al. 1979).
    func statistics(total: Int, _ chunk: (Range<Int>) throws -> SampleStatistics) throws -> SampleStatistics {
        var statistics: SampleStatistics?
        try forEach(total: total) { range in statistics = try .merging(statistics, try chunk(range)) }
        guard let statistics else { throw GlassboxError.invalidArgument("statistics of no samples") }
        return statistics
    }
}
