import GlassboxTestSupport
import Testing
@testable import GlassboxCore

/// The backend's random operations draw exactly the Philox numbers their
/// documentation names, so chunks of a batch equal the whole batch.
@Suite("Random operations")
struct RandomOperationTests {
    let stream = RandomStream(seed: 0xDEAD_BEEF_0123, stream: 7, offset: 5)

    @Test func uniformAndNormalFollowPhilox() throws {
        let uniform = try backend.randomUniform([3, 11], stream: stream).toArray()
        #expect(uniform == (0..<33).map { Philox.uniform(stream, index: UInt64($0)) })
        let normal = try backend.randomNormal([37], mean: 2, standardDeviation: 0.5, stream: stream).toArray()
        #expect(normal == (0..<37).map { 2 + 0.5 * Philox.normal(stream, index: UInt64($0)) })
    }

    @Test func dropoutMaskKeepsWhereTheUniformReachesTheProbability() throws {
        let mask = try backend.dropoutMask([101], probability: 0.3, stream: stream).toArray()
        for (index, value) in mask.enumerated() {
            let keep = Philox.uniform(stream, index: UInt64(index)) >= 0.3
            #expect(value == (keep ? 1 / (1 - Float(0.3)) : 0))
        }
        let kept = Double(mask.filter { $0 > 0 }.count) / 101
        #expect(abs(kept - 0.7) < 0.15)
    }

    @Test func noisyBatchChunksEqualTheWholeBatch() throws {
        var generator = SplitMix64(seed: 3)
        let input = try backend.upload(generator.floats(2 * 5 * 3), shape: [1, 2, 5, 3])
        let whole = try backend.noisyBatch(input, count: 7, standardDeviation: 0.25, stream: stream).toArray()
        let x = try input.toArray()
        for (index, value) in whole.enumerated() {
            #expect(value == x[index % 30] + 0.25 * Philox.normal(stream, index: UInt64(index)))
        }
        let first = try backend.noisyBatch(input, count: 3, standardDeviation: 0.25, stream: stream).toArray()
        let rest = try backend.noisyBatch(input, count: 4, standardDeviation: 0.25, stream: stream.advanced(by: 3 * 30)).toArray()
        #expect(first + rest == whole)
    }

    @Test func sameSeedSameNumbersOtherSeedOtherNumbers() throws {
        let a = try backend.randomNormal([64], mean: 0, standardDeviation: 1, stream: stream).toArray()
        let b = try backend.randomNormal([64], mean: 0, standardDeviation: 1, stream: stream).toArray()
        let c = try backend.randomNormal([64], mean: 0, standardDeviation: 1, stream: stream.substream(8)).toArray()
        #expect(a == b)
        #expect(a != c)
    }

    /// Large fills are split over the cores; every element is still draw `offset + i`, also where the offsets wrap past 2⁶⁴.
    @Test func largeFillsSplitOverCoresKeepEveryDraw() throws {
        let stream = RandomStream(seed: 21, stream: 3, offset: UInt64.max - 4_000)
        let count = 10_001
        let normal = try backend.randomNormal([count], mean: 0, standardDeviation: 1, stream: stream).toArray()
        let uniform = try backend.randomUniform([count], stream: stream).toArray()
        for index in stride(from: 0, to: count, by: 97) + [4_000, 4_001, count - 1] {
            #expect(normal[index] == Philox.normal(stream, index: UInt64(index)))
            #expect(uniform[index] == Philox.uniform(stream, index: UInt64(index)))
        }
    }
}
