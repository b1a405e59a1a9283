import GlassboxTestSupport
import Testing
@testable import GlassboxCore

/// Mean and sum of squared deviations over axis 0, two passes in Float64.
func referenceStatistics(_ x: [Double], samples: Int) -> (mean: [Double], m2: [Double]) {
    let size = x.count / samples
    var mean = [Double](repeating: 0, count: size), m2 = [Double](repeating: 0, count: size)
    for n in 0..<samples { for i in 0..<size { mean[i] += x[n * size + i] } }
    for i in 0..<size { mean[i] /= Double(samples) }
    for n in 0..<samples {
        for i in 0..<size {
            let d = x[n * size + i] - mean[i]
            m2[i] += d * d
        }
    }
    return (mean, m2)
}

/// Captum's occlusion batch, built slowly: the shift counts `ceil((D − w)/s) + 1` in
/// Float64, each position number split by `%` and `/` over the counts from the first
/// axis on (`_occlusion_mask`), and a mask of every element that is 1 from the
/// window's start for `w` elements (padding cut at the border), then
/// `mask ? baseline : input`. Returns the counts and the batch, position by position.
func referenceOcclusion(_ input: [Float], sample: [Int], window: [Int], strides: [Int],
                        baseline: Float) -> (counts: [Int], batch: [Float]) {
    let counts = sample.indices.map { Int((Double(sample[$0] - window[$0]) / Double(strides[$0])).rounded(.up)) + 1 }
    var batch = [Float]()
    for number in 0..<counts.reduce(1, *) {
        var remaining = number, start = [Int]()
        for (axis, count) in counts.enumerated() {
            start.append(remaining % count * strides[axis])
            remaining /= count
        }
        for element in input.indices {
            let coordinate = coordinates(of: element, in: sample)
            let masked = sample.indices.allSatisfy { start[$0] <= coordinate[$0] && coordinate[$0] < start[$0] + window[$0] }
            batch.append(masked ? baseline : input[element])
        }
    }
    return (counts, batch)
}

@Suite("Sampling")
struct SamplingTests {
    @Test("interpolation batch is baseline + α·(input − baseline)")
    func interpolation() throws {
        var rng = SplitMix64(seed: 77)
        let (input, inputValues) = try randomTensor([1, 2, 3, 3], &rng)
        let (baseline, baselineValues) = try randomTensor([1, 2, 3, 3], &rng)
        let alphas: [Float] = [0, 0.125, 0.5, 1, 1.5, -0.25, 0.7]
        let result = try backend.interpolationBatch(input, baseline: baseline, alphas: alphas)
        #expect(result.shape == [7, 2, 3, 3])
        var reference = [Double]()
        for alpha in alphas {
            for i in inputValues.indices {
                reference.append(baselineValues[i] + Double(alpha) * (inputValues[i] - baselineValues[i]))
            }
        }
        let values = try result.toArray()
        expectClose(values, reference)
        // α = 0 reproduces the baseline exactly (α = 1 gives the input only up to rounding).
        #expect(Array(values[0..<18]) == baselineValues.map { Float($0) })
    }

    @Test("interpolation errors throw")
    func interpolationErrors() throws {
        let one = try backend.filled([1, 4], value: 1)
        expectShapeMismatch("batch of two") {
            _ = try backend.interpolationBatch(try backend.filled([2, 4], value: 1), baseline: try backend.filled([2, 4], value: 0),
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

    @Test("occlusion batch equals Captum's masks, windows cut at the border",
          arguments: [([1, 7], [3], [2]), ([1, 10], [4], [3]), ([1, 1, 5, 5], [1, 2, 2], [1, 2, 2]),
                      ([1, 3, 7, 6], [1, 3, 4], [1, 2, 3]), ([1, 3, 8, 8], [3, 8, 8], [4, 1, 1]),
                      ([1, 2, 11, 9], [2, 5, 4], [1, 3, 4]), ([1, 2, 3, 5, 4], [1, 2, 3, 2], [1, 1, 2, 2])])
    func occlusion(dimensions: [Int], window: [Int], strides: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(dimensions.reduce(1, *) * 31 + window.reduce(0, +)))
        let values = rng.floats(Shape(dimensions).count)
        let sample = Array(dimensions.dropFirst())
        let reference = referenceOcclusion(values, sample: sample, window: window, strides: strides, baseline: 0.25)
        let plan = try OcclusionPlan(input: Shape(dimensions), window: window, strides: strides)
        #expect(plan.counts == reference.counts)
        #expect(plan.positionCount == reference.counts.reduce(1, *))
        let input = try makeTensor(values, Shape(dimensions))
        let result = try backend.occlusionBatch(input, window: window, strides: strides, baseline: 0.25,
                                                positions: 0..<plan.positionCount)
        #expect(result.shape == Shape([plan.positionCount] + sample))
        #expect(try result.toArray() == reference.batch)

        // Every element is occluded by some window (Captum's stride rule), and the plan's
        // window ranges name exactly the elements the batch replaced.
        let size = values.count
        let batch = try result.toArray()
        var covered = Set<Int>()
        for position in 0..<plan.positionCount {
            let ranges = plan.windowRanges(at: position)
            let inside = (0..<size).filter { element in
                zip(coordinates(of: element, in: sample), ranges).allSatisfy { $1.contains($0) }
            }
            #expect(inside.count == ranges.reduce(1) { $0 * $1.count })
            #expect(inside.allSatisfy { batch[position * size + $0] == 0.25 })
            covered.formUnion(inside)
        }
        #expect(covered.count == size)
    }

    @Test("occlusion positions are numbered first axis fastest, as in Captum, and chunks equal the whole batch")
    func occlusionOrderAndChunks() throws {
        // Sample 2×5, window 1×2, strides 1×2: 2 positions along rows, 3 along columns (the last cut to one column).
        let plan = try OcclusionPlan(input: [1, 2, 5], window: [1, 2], strides: [1, 2])
        #expect(plan.counts == [2, 3])
        #expect((0..<6).map { plan.windowRanges(at: $0) } == [
            [0..<1, 0..<2], [1..<2, 0..<2], [0..<1, 2..<4], [1..<2, 2..<4], [0..<1, 4..<5], [1..<2, 4..<5],
        ])
        let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let input = try makeTensor(values, [1, 2, 5])
        let third = try backend.occlusionBatch(input, window: [1, 2], strides: [1, 2], baseline: 0, positions: 3..<4)
        #expect(try third.toArray() == [1, 2, 3, 4, 5, 6, 7, 0, 0, 10])
        let whole = try backend.occlusionBatch(input, window: [1, 2], strides: [1, 2], baseline: -1, positions: 0..<6).toArray()
        var chunks = [Float]()
        for range in [0..<1, 1..<4, 4..<6] {
            let chunk = try backend.occlusionBatch(input, window: [1, 2], strides: [1, 2], baseline: -1, positions: range)
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
        expectShapeMismatch("batch of two") { try occlude(try backend.filled([2, 3, 4, 4], value: 1), [1, 2, 2], [1, 2, 2]) }
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

    @Test("sample statistics match a two-pass Float64 computation", arguments: [[1, 5], [7, 3, 4], [64, 2, 2, 3], [2, 1]])
    func statistics(dimensions: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(dimensions.reduce(1, *)))
        let (batch, values) = try randomTensor(Shape(dimensions), &rng, -2, 3)
        let reference = referenceStatistics(values, samples: dimensions[0])
        let statistics = try backend.sampleStatistics(batch)
        #expect(statistics.count == dimensions[0])
        #expect(statistics.mean.shape == Shape(dimensions).withBatch(1))
        #expect(statistics.sumOfSquaredDeviations.shape == Shape(dimensions).withBatch(1))
        expectClose(try statistics.mean.toArray(), reference.mean, "mean")
        if dimensions[0] == 1 {
            #expect(try statistics.sumOfSquaredDeviations.toArray().allSatisfy { $0 == 0 })
        } else {
            expectClose(try statistics.sumOfSquaredDeviations.toArray(), reference.m2, "M₂")
        }
        let n = Double(dimensions[0])
        expectClose(try statistics.variance().toArray(), reference.m2.map { $0 / n }, "variance")
        expectClose(try statistics.meanOfSquares().toArray(),
                    zip(reference.m2, reference.mean).map { $0 / n + $1 * $1 }, "mean of squares")
    }

    @Test("statistics stay accurate at a large offset, where E[x²] − E[x]² does not")
    func largeOffset() throws {
        var rng = SplitMix64(seed: 10_000)
        let samples = 500, size = 6
        // Values 10⁴ + noise of standard deviation ≈ 1 (stored as Float32, so the inputs are exact).
        let floats = (0..<(samples * size)).map { _ in Float(10_000 + rng.normal()) }
        let values = floats.map(Double.init)
        let reference = referenceStatistics(values, samples: samples)
        let statistics = try backend.sampleStatistics(try makeTensor(floats, [samples, 1, size]))
        expectClose(try statistics.mean.toArray(), reference.mean, "mean")
        let variance = reference.m2.map { $0 / Double(samples) }
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

    @Test("merging the statistics of chunks equals the statistics of the whole batch",
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
        let reference = referenceStatistics(floats.map(Double.init), samples: total)
        #expect(merged!.count == total)
        expectClose(try merged!.mean.toArray(), try doubles(whole.mean), "merged vs whole mean")
        expectClose(try merged!.sumOfSquaredDeviations.toArray(), try doubles(whole.sumOfSquaredDeviations), tolerance: 1e-4,
                    "merged vs whole M₂")
        expectClose(try merged!.mean.toArray(), reference.mean, "merged mean vs Float64")
        expectClose(try merged!.sumOfSquaredDeviations.toArray(), reference.m2, tolerance: 1e-4, "merged M₂ vs Float64")
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
        expectInvalidArgument("dropout probability 1") { _ = try backend.dropoutMask([4], probability: 1, stream: stream) }
        expectInvalidArgument("negative dropout probability") {
            _ = try backend.dropoutMask([4], probability: -0.1, stream: stream)
        }
        expectShapeMismatch("noisy batch of a batch of two") {
            _ = try backend.noisyBatch(try backend.filled([2, 3], value: 0), count: 4, standardDeviation: 1, stream: stream)
        }
        expectShapeMismatch("noisy batch of zero samples") {
            _ = try backend.noisyBatch(try backend.filled([1, 3], value: 0), count: 0, standardDeviation: 1, stream: stream)
        }
    }
}
