import GlassboxConformance
import GlassboxTestSupport
import Testing

@testable import GlassboxCore

/// The CPU's batched sampling by independent means: α = 0 reproducing the baseline
/// exactly, Captum's position order and chunks of an occlusion, statistics of a batch
/// with closed-form moments; Welford's accuracy at a large offset (where the naive
/// formula is shown to fail) and merged chunk statistics, against the
/// reference backend's two-pass Float64 statistics at a variance tolerance tighter than
/// the suite's; and the arguments every sampling operation refuses. Values over many
/// shapes are the conformance suite's (`Sources/GlassboxConformance/SamplingCases.swift`).
@Suite("Sampling")
struct SamplingTests {
    @Test("interpolation batch starts exactly at the baseline")
    func interpolation() throws {
        var rng = SplitMix64(seed: 77)
        let baselineValues = rng.floats(18)
        let input = try makeTensor(rng.floats(18), [1, 2, 3, 3]),
            baseline = try makeTensor(baselineValues, [1, 2, 3, 3])
        let result = try backend.interpolationBatch(
            input, baseline: baseline, alphas: [0, 0.125, 0.5, 1, 1.5, -0.25, 0.7])
        #expect(result.shape == [7, 2, 3, 3])
        // α = 0 reproduces the baseline exactly (α = 1 gives the input only up to rounding).
        #expect(Array(try result.toArray()[0..<18]) == baselineValues)
    }

    @Test("interpolation errors throw")
    func interpolationErrors() throws {
        let one = try backend.filled([1, 4], value: 1)
        expectShapeMismatch("batch of two") {
            _ = try backend.interpolationBatch(
                try backend.filled([2, 4], value: 1), baseline: try backend.filled([2, 4], value: 0),
                alphas: [0.5])
        }
        expectShapeMismatch("baseline of another shape") {
            _ = try backend.interpolationBatch(one, baseline: try backend.filled([1, 5], value: 0), alphas: [0.5])
        }
        expectShapeMismatch("no alphas") { _ = try backend.interpolationBatch(one, baseline: one, alphas: []) }
        expectShapeMismatch("scalar input") {
            let scalar = try backend.filled([], value: 1)
            _ = try backend.interpolationBatch(scalar, baseline: scalar, alphas: [1])
        }
    }

    @Test("occlusion positions are numbered first axis fastest, as in Captum, and chunks equal the whole batch")
    func occlusionOrderAndChunks() throws {
        // Sample 2×5, window 1×2, strides 1×2: 2 positions along rows, 3 along columns (the last cut to one column).
        let plan = try OcclusionPlan(input: [1, 2, 5], window: [1, 2], strides: [1, 2])
        #expect(plan.counts == [2, 3])
        #expect(
            (0..<6).map { plan.windowRanges(at: $0) } == [
                [0..<1, 0..<2], [1..<2, 0..<2], [0..<1, 2..<4], [1..<2, 2..<4], [0..<1, 4..<5], [1..<2, 4..<5],
            ])
        let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let input = try makeTensor(values, [1, 2, 5])
        let third = try backend.occlusionBatch(input, window: [1, 2], strides: [1, 2], baseline: 0, positions: 3..<4)
        #expect(try third.toArray() == [1, 2, 3, 4, 5, 6, 7, 0, 0, 10])
        let whole = try backend.occlusionBatch(input, window: [1, 2], strides: [1, 2], baseline: -1, positions: 0..<6)
            .toArray()
        var chunks = [Float]()
        for range in [0..<1, 1..<4, 4..<6] {
            let chunk = try backend.occlusionBatch(
                input, window: [1, 2], strides: [1, 2], baseline: -1, positions: range)
            #expect(chunk.shape == [range.count, 2, 5])
            chunks += try chunk.toArray()
        }
        #expect(chunks == whole)
    }

    @Test("occlusion errors throw")
    func occlusionErrors() throws {
        let input = try backend.filled([1, 3, 4, 4], value: 1)
        func occlude(_ x: Tensor, _ window: [Int], _ strides: [Int], _ positions: Range<Int> = 0..<1) throws {
            _ = try backend.occlusionBatch(x, window: window, strides: strides, baseline: 0, positions: positions)
        }
        expectShapeMismatch("batch of two") {
            try occlude(try backend.filled([2, 3, 4, 4], value: 1), [1, 2, 2], [1, 2, 2])
        }
        expectShapeMismatch("no sample axes") { try occlude(try backend.filled([1], value: 1), [], []) }
        expectShapeMismatch("sample rank 5") {
            try occlude(try backend.filled([1, 1, 1, 1, 2, 2], value: 1), [1, 1, 1, 1, 1], [1, 1, 1, 1, 1])
        }
        expectShapeMismatch("window of the wrong rank") { try occlude(input, [2, 2], [1, 2, 2]) }
        expectShapeMismatch("strides of the wrong rank") { try occlude(input, [1, 2, 2], [2, 2]) }
        expectShapeMismatch("window larger than the input") { try occlude(input, [1, 5, 2], [1, 1, 1]) }
        expectInvalidArgument("zero window") { try occlude(input, [1, 0, 2], [1, 1, 1]) }
        expectInvalidArgument("zero stride") { try occlude(input, [1, 2, 2], [1, 0, 1]) }
        expectInvalidArgument("negative stride") { try occlude(input, [1, 2, 2], [1, 2, -1]) }
        expectInvalidArgument("stride larger than the window") { try occlude(input, [1, 2, 2], [1, 3, 2]) }
        // Window 1×2×2 with unit strides over 3×4×4: 3·3·3 = 27 positions.
        expectInvalidArgument("empty positions") { try occlude(input, [1, 2, 2], [1, 1, 1], 4..<4) }
        expectInvalidArgument("negative positions") { try occlude(input, [1, 2, 2], [1, 1, 1], -1..<2) }
        expectInvalidArgument("positions past the end") { try occlude(input, [1, 2, 2], [1, 1, 1], 20..<28) }
        try occlude(input, [1, 2, 2], [1, 1, 1], 20..<27)
        try occlude(input, [3, 4, 4], [9, 9, 9])
    }

    @Test("sample statistics of a batch with closed-form moments")
    func statistics() throws {
        // Element 0 sees samples 1, 2, 3, 4 (mean 2.5, M₂ 5); element 1 sees −2, 0, 2, 4 (mean 1, M₂ 20).
        let statistics = try backend.sampleStatistics(try makeTensor([1, -2, 2, 0, 3, 2, 4, 4], [4, 1, 2]))
        #expect(statistics.count == 4)
        #expect(statistics.mean.shape == [1, 1, 2] && statistics.sumOfSquaredDeviations.shape == [1, 1, 2])
        expectClose(try statistics.mean.toArray(), [2.5, 1], "mean")
        expectClose(try statistics.sumOfSquaredDeviations.toArray(), [5, 20], "M₂")
        expectClose(try statistics.variance().toArray(), [1.25, 5], "variance")
        expectClose(try statistics.meanOfSquares().toArray(), [7.5, 6], "mean of squares")
        let one = try backend.sampleStatistics(try makeTensor([3, -1, 7], [1, 3]))
        #expect(try one.mean.toArray() == [3, -1, 7] && one.sumOfSquaredDeviations.toArray() == [0, 0, 0])
    }

    @Test("statistics stay accurate at a large offset, where E[x²] − E[x]² does not")
    func largeOffset() throws {
        var rng = SplitMix64(seed: 10_000)
        let samples = 500, size = 6
        // Values 10⁴ + noise of standard deviation ≈ 1 (stored as Float32, so the inputs are exact).
        let floats = (0..<(samples * size)).map { _ in Float(10_000 + rng.normal()) }
        let expected = try referenceBackend.sampleStatistics(
            try referenceBackend.upload(floats, shape: [samples, 1, size]))
        let statistics = try backend.sampleStatistics(try makeTensor(floats, [samples, 1, size]))
        expectClose(try statistics.mean.toArray(), try doubles(expected.mean), "mean")
        let variance = try doubles(expected.sumOfSquaredDeviations).map { $0 / Double(samples) }
        expectClose(try statistics.variance().toArray(), variance, tolerance: 1e-3, "variance")

        // The naive formula in Float32 is far off, so this case does discriminate.
        var naiveError = 0.0
        for i in 0..<size {
            var sum: Float = 0, sumOfSquares: Float = 0
            for n in 0..<samples {
                sum += floats[n * size + i]
                sumOfSquares += floats[n * size + i] * floats[n * size + i]
            }
            let naive = Double(sumOfSquares / Float(samples) - (sum / Float(samples)) * (sum / Float(samples)))
            naiveError = max(naiveError, Swift.abs(naive - variance[i]) / variance[i])
        }
        #expect(naiveError > 1e-2)
    }

    @Test(
        "merging the statistics of chunks equals the statistics of the whole batch",
        arguments: [[1, 9], [4, 6], [7, 3], [3, 3, 4]])
    func merging(chunks: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(chunks.reduce(0, +) * 13 + chunks.count))
        let sampleShape = [2, 3]
        let total = chunks.reduce(0, +)
        let floats = (0..<(total * 6)).map { _ in Float(50 + 4 * rng.normal()) }
        let whole = try backend.sampleStatistics(try makeTensor(floats, Shape([total] + sampleShape)))
        var start = 0
        var merged: SampleStatistics?
        for count in chunks {
            let chunk = try makeTensor(Array(floats[(start * 6)..<((start + count) * 6)]), Shape([count] + sampleShape))
            let statistics = try backend.sampleStatistics(chunk)
            merged = try merged.map { try $0.merged(with: statistics) } ?? statistics
            start += count
        }
        let expected = try referenceBackend.sampleStatistics(
            try referenceBackend.upload(floats, shape: Shape([total] + sampleShape)))
        #expect(merged!.count == total)
        expectClose(try merged!.mean.toArray(), try doubles(whole.mean), "merged vs whole mean")
        expectClose(
            try merged!.sumOfSquaredDeviations.toArray(), try doubles(whole.sumOfSquaredDeviations), tolerance: 1e-4,
            "merged vs whole M₂")
        expectClose(try merged!.mean.toArray(), try doubles(expected.mean), "merged mean vs the reference")
        expectClose(
            try merged!.sumOfSquaredDeviations.toArray(), try doubles(expected.sumOfSquaredDeviations), tolerance: 1e-4,
            "merged M₂ vs the reference")
    }

    @Test("statistics errors throw")
    func statisticsErrors() throws {
        expectShapeMismatch("empty batch") { _ = try backend.sampleStatistics(try backend.filled([0, 3], value: 0)) }
        expectShapeMismatch("scalar") { _ = try backend.sampleStatistics(try backend.filled([], value: 0)) }
        let a = try backend.sampleStatistics(try backend.filled([2, 3], value: 1))
        let b = try backend.sampleStatistics(try backend.filled([2, 4], value: 1))
        expectShapeMismatch("merging different shapes") { _ = try a.merged(with: b) }
    }

    @Test("random operations reject bad arguments")
    func randomArgumentErrors() throws {
        let stream = RandomStream(seed: 1)
        expectInvalidArgument("dropout probability 1") {
            _ = try backend.dropoutMask([4], probability: 1, stream: stream)
        }
        expectInvalidArgument("negative dropout probability") {
            _ = try backend.dropoutMask([4], probability: -0.1, stream: stream)
        }
        expectShapeMismatch("noisy batch of a batch of two") {
            _ = try backend.noisyBatch(
                try backend.filled([2, 3], value: 0), count: 4, standardDeviation: 1, stream: stream)
        }
        expectShapeMismatch("noisy batch of zero samples") {
            _ = try backend.noisyBatch(
                try backend.filled([1, 3], value: 0), count: 0, standardDeviation: 1, stream: stream)
        }
    }
}
