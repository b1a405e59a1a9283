import GlassboxConformance
import GlassboxCore
import GlassboxReference
import Testing

/// The reference batched sampling, by means independent of its loops: interpolations
/// computed by hand, occlusion batches built as Captum builds its masks (shift counts in
/// Float64, position numbers split first axis fastest, each mask the outer product of
/// one window indicator per axis), statistics of batches with closed-form moments; and
/// the refusals of ``SamplingPlans`` and ``OcclusionPlan``.
@Suite("Reference sampling")
struct SamplingReferenceTests {
    @Test("interpolation steps by hand")
    func interpolation() throws {
        let input = try tensor([2, -4, 8], [1, 3]), baseline = try tensor([0, 4, 8], [1, 3])
        let batch = try reference.interpolationBatch(input, baseline: baseline, alphas: [0, 0.25, 1, -0.5, 1.5])
        #expect(batch.shape == [5, 3])
        #expect(try batch.toArray() == [0, 4, 8, 0.5, 2, 8, 2, -4, 8, -1, 8, 8, 3, -8, 8])
    }

    /// Captum's occlusion batch, built another way: the shift counts `ceil((D − w)/s) + 1` in
    /// Float64; position p split by `%` and `/` over the counts from the first axis on
    /// (`_occlusion_mask`); the mask the outer product of one indicator per axis of the
    /// elements from the window's start for `w` (cut at the border); then `mask ? baseline : input`.
    static func captumOcclusion(
        _ input: [Float], sample: [Int], window: [Int], strides: [Int],
        baseline: Float
    ) -> (counts: [Int], batch: [Float]) {
        let counts = sample.indices.map {
            Int((Double(sample[$0] - window[$0]) / Double(strides[$0])).rounded(.up)) + 1
        }
        var batch = [Float]()
        for position in 0..<counts.reduce(1, *) {
            var remaining = position
            let indicators = sample.indices.map { axis in
                let start = remaining % counts[axis] * strides[axis]
                remaining /= counts[axis]
                return (0..<sample[axis]).map { start <= $0 && $0 < start + window[axis] }
            }
            let mask = indicators.reduce([true]) { outer, indicator in outer.flatMap { a in indicator.map { a && $0 } }
            }
            batch += zip(mask, input).map { $0 ? baseline : $1 }
        }
        return (counts, batch)
    }

    @Test(
        "occlusion batches equal Captum's masks, windows cut at the border",
        arguments: [
            ([1, 7], [3], [2]), ([1, 10], [4], [3]), ([1, 1, 5, 5], [1, 2, 2], [1, 2, 2]),
            ([1, 3, 7, 6], [1, 3, 4], [1, 2, 3]), ([1, 3, 8, 8], [3, 8, 8], [4, 1, 1]),
            ([1, 2, 11, 9], [2, 5, 4], [1, 3, 4]), ([1, 2, 3, 5, 4], [1, 2, 3, 2], [1, 1, 2, 2]),
        ])
    func occlusion(dimensions: [Int], window: [Int], strides: [Int]) throws {
        var random = SplitMix64(name: "occlusion \(dimensions) \(window) \(strides)")
        let values = random.floats(Shape(dimensions).count)
        let sample = Array(dimensions.dropFirst())
        let captum = Self.captumOcclusion(values, sample: sample, window: window, strides: strides, baseline: 0.25)
        let plan = try OcclusionPlan(input: Shape(dimensions), window: window, strides: strides)
        #expect(plan.counts == captum.counts)
        let batch = try reference.occlusionBatch(
            try tensor(values, Shape(dimensions)), window: window, strides: strides,
            baseline: 0.25, positions: 0..<plan.positionCount)
        #expect(batch.shape == Shape([plan.positionCount] + sample))
        #expect(try batch.toArray() == captum.batch)
        // A chunk of the positions is the same part of the whole batch.
        let chunk = (plan.positionCount / 3)..<plan.positionCount
        #expect(
            try reference.occlusionBatch(
                try tensor(values, Shape(dimensions)), window: window, strides: strides,
                baseline: 0.25, positions: chunk
            ).toArray()
                == Array(captum.batch[(chunk.lowerBound * values.count)...]))
    }

    @Test("statistics of batches with closed-form moments")
    func statistics() throws {
        // Samples 1, 2, 3, 4: mean 2.5, M₂ = 2.25 + 0.25 + 0.25 + 2.25 = 5; samples 10, 10, 10, 10: mean 10, M₂ 0.
        let statistics = try reference.sampleStatistics(try tensor([1, 10, 2, 10, 3, 10, 4, 10], [4, 2]))
        #expect(statistics.count == 4)
        #expect(statistics.mean.shape == [1, 2] && statistics.sumOfSquaredDeviations.shape == [1, 2])
        #expect(try statistics.mean.toArray() == [2.5, 10] && statistics.sumOfSquaredDeviations.toArray() == [5, 0])
        // n samples of 10⁴ ± 1 alternating: mean 10⁴, M₂ = n, where E[x²] − E[x]² loses every digit in Float32.
        let far = try reference.sampleStatistics(try tensor((0..<64).map { $0 % 2 == 0 ? 10_001 : 9_999 }, [64, 1]))
        #expect(try far.mean.toArray() == [10_000] && far.sumOfSquaredDeviations.toArray() == [64])
        let one = try reference.sampleStatistics(try tensor([3, -1], [1, 2]))
        #expect(try one.mean.toArray() == [3, -1] && one.sumOfSquaredDeviations.toArray() == [0, 0])
    }

    @Test("refuses what the sampling plans refuse")
    func refusals() throws {
        for batch in [[0, 3], []] as [Shape] {
            expectRefusal(as: { _ = try SamplingPlans.statisticsShape(batch: batch) }, "statistics of \(batch)") {
                _ = try reference.sampleStatistics(reference.filled(batch, value: 0))
            }
        }
        for (input, baseline, steps) in [([1, 3], [1, 4], 1), ([2, 3], [2, 3], 1), ([1, 3], [1, 3], 0)]
            as [(Shape, Shape, Int)]
        {
            expectRefusal(
                as: { _ = try SamplingPlans.interpolationShape(input: input, baseline: baseline, steps: steps) },
                "interpolation of \(input) to \(baseline) in \(steps) steps"
            ) {
                _ = try reference.interpolationBatch(
                    reference.filled(input, value: 1), baseline: reference.filled(baseline, value: 0),
                    alphas: Array(repeating: 0.5, count: steps))
            }
        }
        let input = try reference.filled([1, 3, 4, 4], value: 1)
        for (window, strides) in [
            ([2, 2], [1, 2, 2]), ([1, 5, 2], [1, 1, 1]), ([1, 0, 2], [1, 1, 1]), ([1, 2, 2], [1, 3, 2]),
        ] {
            expectRefusal(
                as: { _ = try OcclusionPlan(input: input.shape, window: window, strides: strides) },
                "\(window) \(strides)"
            ) {
                _ = try reference.occlusionBatch(input, window: window, strides: strides, baseline: 0, positions: 0..<1)
            }
        }
        let plan = try OcclusionPlan(input: input.shape, window: [1, 2, 2], strides: [1, 1, 1])
        for positions in [4..<4, -1..<2, 20..<28] {
            expectRefusal(as: { _ = try plan.batchShape(positions: positions) }, "positions \(positions)") {
                _ = try reference.occlusionBatch(
                    input, window: [1, 2, 2], strides: [1, 1, 1], baseline: 0, positions: positions)
            }
        }
    }
}
