import GlassboxCore

extension BackendOperation {
    /// Bit-identical copies, including chunks that start at a later sample and every
    /// stream of the random operations; and the shapes every backend refuses.
    static func noisyBatchCases() -> [ConformanceCase] {
        // (sample shape, count, standard deviation, stream, first sample of the chunk)
        let chunks: [([Int], Int, Float, UInt64)] = [
            ([1, 1], 1, 0.5, 0), ([1, 7], 4, 1, 0), ([1, 3, 5, 5], 33, 0.15, 0), ([1, 127], 3, 2, 0),
            ([1, 3, 5, 5], 2, 0.15, 5), ([1, 65], 7, 0.3, 29),
        ]
        let configurations =
            chunks.map { ($0.0, $0.1, $0.2, RandomStream(seed: 77, stream: 5), $0.3) }
            + zip(streams, [1, 3, 7, 33, 65, 127, 3, 7, 33, 65, 127]).map { ([1, $1], 7, Float(0.15), $0, UInt64(0)) }
        let refused: [([Int], Int)] = [([2, 3], 2), ([1, 3], 0), ([], 2)]
        return configurations.map { dimensions, count, deviation, start, firstSample in
            let sampleCount = UInt64(Shape(dimensions).count)
            let stream = start.advanced(by: firstSample * sampleCount)
            let name =
                "noisyBatch of \(count) × \(Shape(dimensions).label) σ\(deviation) \(label(start))"
                + (firstSample > 0 ? " chunk from sample \(firstSample)" : "")
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, .noisyBatch, shape: [count] + dimensions.dropFirst()) { backend in
                try backend.noisyBatch(
                    try backend.upload(input), count: count, standardDeviation: deviation, stream: stream)
            }
        }
            + refused.map { dimensions, count in
                .rejection("noisyBatch refuses \(count) copies of \(Shape(dimensions).label)", .noisyBatch) { backend in
                    _ = try backend.noisyBatch(
                        backend.filled(Shape(dimensions), value: 1), count: count, standardDeviation: 1,
                        stream: RandomStream(seed: 5))
                }
            }
    }

    /// Steps inside and outside [0, 1], many steps; and the shapes every backend refuses
    /// (a baseline of another shape, a batch, no steps).
    static func interpolationBatchCases() -> [ConformanceCase] {
        let configurations: [([Int], [Float])] = [
            ([1, 1], [0.5]), ([1, 7], [0, 0.25, 0.5, 1]), ([1, 3, 5, 5], (0..<33).map { Float($0) / 32 }),
            ([1, 127], [-0.5, 1.5, 1 / 3]), ([1, 65], (0..<50).map { Float($0) / 49 }),
        ]
        let refused: [([Int], [Int], Int)] = [([1, 3], [1, 4], 1), ([2, 3], [2, 3], 1), ([1, 3], [1, 3], 0)]
        return configurations.map { dimensions, alphas in
            let name = "interpolationBatch of \(alphas.count) × \(Shape(dimensions).label)"
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, -3, 3))
            let baseline = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, .interpolationBatch, shape: [alphas.count] + dimensions.dropFirst()) { backend in
                try backend.interpolationBatch(
                    try backend.upload(input), baseline: try backend.upload(baseline), alphas: alphas)
            }
        }
            + refused.map { input, baseline, steps in
                .rejection(
                    "interpolationBatch refuses \(Shape(input).label) to \(Shape(baseline).label) in \(steps) steps",
                    .interpolationBatch
                ) { backend in
                    _ = try backend.interpolationBatch(
                        backend.filled(Shape(input), value: 1), baseline: backend.filled(Shape(baseline), value: 0),
                        alphas: Array(repeating: 0.5, count: steps))
                }
            }
    }

    /// Bit-identical batches, windows cut at the border, chunks of positions.
    static func occlusionBatchCases() -> [ConformanceCase] {
        // (input shape, window, strides, positions: all of them, or a chunk where they start later)
        let configurations: [([Int], [Int], [Int], Range<Int>)] = [
            ([1, 1], [1], [1], 0..<1), ([1, 10], [3], [2], 0..<5), ([1, 3, 5, 5], [3, 2, 2], [3, 2, 2], 0..<9),
            ([1, 3, 7, 6], [1, 3, 4], [1, 2, 3], 0..<18), ([1, 1, 13, 11], [1, 5, 4], [1, 3, 3], 0..<16),
            ([1, 3, 32, 32], [3, 8, 8], [3, 4, 4], 0..<49), ([1, 3, 8, 8], [3, 8, 8], [5, 1, 1], 0..<1),
            ([1, 2, 9, 8], [2, 4, 4], [1, 4, 3], 2..<7), ([1, 2, 5, 7, 6], [1, 2, 3, 2], [1, 1, 2, 2], 17..<40),
            ([1, 7], [3], [2], 0..<3), ([1, 10], [4], [3], 0..<3), ([1, 1, 5, 5], [1, 2, 2], [1, 2, 2], 0..<9),
            ([1, 2, 11, 9], [2, 5, 4], [1, 3, 4], 0..<9), ([1, 3, 8, 8], [3, 8, 8], [4, 1, 1], 0..<1),
            ([1, 2, 3, 5, 4], [1, 2, 3, 2], [1, 1, 2, 2], 0..<16),
        ]
        return configurations.map { dimensions, window, strides, positions in
            let name =
                "occlusionBatch of \(Shape(dimensions).label) window \(window) strides \(strides) "
                + "positions \(positions.lowerBound)..<\(positions.upperBound)"
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, .occlusionBatch, shape: [positions.count] + dimensions.dropFirst()) { backend in
                try backend.occlusionBatch(
                    try backend.upload(input), window: window, strides: strides, baseline: -0.5,
                    positions: positions)
            }
        }
    }

    /// The mean, then the sum of squared deviations, of batches of one sample and more,
    /// including values far from zero (which test the stability of the update); and the
    /// shapes every backend refuses (an empty batch, a scalar).
    static func sampleStatisticsCases() -> [ConformanceCase] {
        // (batch shape, centre of the values)
        let configurations: [([Int], Double)] = [
            ([1, 7], 0), ([2, 1, 33], 6), ([5, 33], 0), ([33, 3, 7], 0), ([127, 65], 0),
            ([65, 1, 9], 100), ([7, 1, 127], 6), ([500, 1, 6], 10_000),
        ]
        return configurations.map { dimensions, centre in
            let name = "sampleStatistics \(Shape(dimensions).label)" + (centre != 0 ? " around \(centre)" : "")
            var random = SplitMix64(name: name)
            let batch = HostTensor(dimensions, random.floats(Shape(dimensions).count, centre - 1, centre + 1))
            return .statistics(name, .sampleStatistics, batch: dimensions) { backend in
                try backend.sampleStatistics(try backend.upload(batch))
            }
        }
            + [[0, 3], []].map { dimensions in
                .rejection("sampleStatistics refuses \(Shape(dimensions).label)", .sampleStatistics) { backend in
                    _ = try backend.sampleStatistics(backend.filled(Shape(dimensions), value: 0))
                }
            }
    }
}
