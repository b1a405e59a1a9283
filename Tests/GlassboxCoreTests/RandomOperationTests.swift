import GlassboxConformance
import Testing

@testable import GlassboxCore

/// What the CPU's random operations add to the conformance suite's bit-exact comparison
/// with the reference (`Sources/GlassboxConformance/RandomCases.swift`): fills split over
/// the cores keep every draw, also where the offsets wrap past 2⁶⁴; chunks of a noisy
/// batch equal the whole batch; a dropout mask keeps about 1 − p of its elements; and
/// the same stream gives the same numbers, another stream others.
@Suite("Random operations")
struct RandomOperationTests {
    let stream = RandomStream(seed: 0xDEAD_BEEF_0123, stream: 7, offset: 5)

    @Test func dropoutMaskKeepsAboutOneMinusTheProbability() throws {
        let mask = try backend.dropoutMask([101], probability: 0.3, stream: stream).toArray()
        #expect(mask.allSatisfy { $0 == 0 || $0 == 1 / (1 - Float(0.3)) })
        let kept = Double(mask.filter { $0 > 0 }.count) / 101
        #expect(abs(kept - 0.7) < 0.15)
    }

    @Test func noisyBatchChunksEqualTheWholeBatch() throws {
        var generator = SplitMix64(seed: 3)
        let input = try backend.upload(generator.floats(2 * 5 * 3), shape: [1, 2, 5, 3])
        let whole = try backend.noisyBatch(input, count: 7, standardDeviation: 0.25, stream: stream).toArray()
        let first = try backend.noisyBatch(input, count: 3, standardDeviation: 0.25, stream: stream).toArray()
        let rest = try backend.noisyBatch(input, count: 4, standardDeviation: 0.25, stream: stream.advanced(by: 3 * 30))
            .toArray()
        #expect(first + rest == whole)
    }

    @Test func sameSeedSameNumbersOtherSeedOtherNumbers() throws {
        let a = try backend.randomNormal([64], mean: 0, standardDeviation: 1, stream: stream).toArray()
        let b = try backend.randomNormal([64], mean: 0, standardDeviation: 1, stream: stream).toArray()
        let c = try backend.randomNormal([64], mean: 0, standardDeviation: 1, stream: stream.substream(8)).toArray()
        #expect(a == b)
        #expect(a != c)
    }

    /// Large fills are split over the cores; every element is still draw `offset + i` (the
    /// reference backend's, which takes the draws one at a time), also where the offsets wrap past 2⁶⁴.
    @Test func largeFillsSplitOverCoresKeepEveryDraw() throws {
        let stream = RandomStream(seed: 21, stream: 3, offset: UInt64.max - 4_000)
        let count = 10_001
        let normal = try backend.randomNormal([count], mean: 0, standardDeviation: 1, stream: stream).toArray()
        let uniform = try backend.randomUniform([count], stream: stream).toArray()
        #expect(
            normal
                == (try referenceBackend.randomNormal([count], mean: 0, standardDeviation: 1, stream: stream).toArray())
        )
        #expect(uniform == (try referenceBackend.randomUniform([count], stream: stream).toArray()))
    }
}
