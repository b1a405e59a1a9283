import Testing

@testable import GlassboxCore

@Suite("Batch chunking")
struct BatchChunkingTests {
    @Test func coversEveryIndexOnceInChunksOfTheLimit() throws {
        var seen = [Range<Int>]()
        let used = try BatchChunking.forEachChunk(total: 23, maximumChunk: 5) { seen.append($0) }
        #expect(seen == [0..<5, 5..<10, 10..<15, 15..<20, 20..<23])
        #expect(used == 5)
    }

    @Test func outOfMemoryHalvesTheChunkAndRetriesTheSameRange() throws {
        var done = [Range<Int>]()
        let used = try BatchChunking.forEachChunk(total: 20, maximumChunk: 16) { range in
            if range.count > 5 { throw GlassboxError.outOfMemory("chunk of \(range.count)") }
            done.append(range)
        }
        #expect(done.flatMap { Array($0) } == Array(0..<20))
        #expect(used == 4)
    }

    @Test func aSingleSampleThatDoesNotFitIsReported() {
        #expect(throws: GlassboxError.outOfMemory("always")) {
            try BatchChunking.forEachChunk(total: 3, maximumChunk: 2) { _ in throw GlassboxError.outOfMemory("always") }
        }
    }

    @Test func samplesFittingUsesTheBackendsMemory() {
        let backend = CPUBackend.shared
        #expect(
            BatchChunking.samplesFitting(backend, bytesPerSample: 1 << 20, fraction: 0.5) == backend.memoryCapacity / 2
                / (1 << 20))
        #expect(BatchChunking.samplesFitting(backend, bytesPerSample: Int.max) == 1)
    }
}
