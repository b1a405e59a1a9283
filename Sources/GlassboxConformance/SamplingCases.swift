import GlassboxCore

extension ConformanceSuite {
    /// `noisyBatch` (exact, including chunks that start at a later sample),
    /// `interpolationBatch`, `occlusionBatch` (exact, including windows cut at the border
    /// and chunks of positions) and `sampleStatistics` (mean, then the sum of squared deviations).
    static func samplingCases() -> [ConformanceCase] {
        noisyCases() + interpolationCases() + occlusionCases() + statisticsCases()
    }

    private static func noisyCases() -> [ConformanceCase] {
        // (sample shape, count, standard deviation, first sample of the chunk)
        let configurations: [([Int], Int, Float, UInt64)] = [
            ([1, 1], 1, 0.5, 0), ([1, 7], 4, 1, 0), ([1, 3, 5, 5], 33, 0.15, 0), ([1, 127], 3, 2, 0),
            ([1, 3, 5, 5], 2, 0.15, 5), ([1, 65], 7, 0.3, 29),
        ]
        return configurations.map { dimensions, count, deviation, firstSample in
            let sampleCount = UInt64(Shape(dimensions).count)
            let stream = RandomStream(seed: 77, stream: 5).advanced(by: firstSample * sampleCount)
            let name = "noisy batch of \(count) × \(Shape(dimensions).label) σ\(deviation)"
                + (firstSample > 0 ? " chunk from sample \(firstSample)" : "")
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, "noisyBatch", exact: true, shape: [count] + dimensions.dropFirst()) { backend in
                try backend.noisyBatch(try backend.upload(input), count: count, standardDeviation: deviation, stream: stream)
            }
        }
    }

    private static func interpolationCases() -> [ConformanceCase] {
        let configurations: [([Int], [Float])] = [
            ([1, 1], [0.5]), ([1, 7], [0, 0.25, 0.5, 1]), ([1, 3, 5, 5], (0..<33).map { Float($0) / 32 }),
            ([1, 127], [-0.5, 1.5, 1 / 3]),
        ]
        return configurations.map { dimensions, alphas in
            let name = "interpolation batch of \(alphas.count) × \(Shape(dimensions).label)"
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, -3, 3))
            let baseline = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, "interpolationBatch", shape: [alphas.count] + dimensions.dropFirst()) { backend in
                try backend.interpolationBatch(try backend.upload(input), baseline: try backend.upload(baseline), alphas: alphas)
            }
        }
    }

    private static func occlusionCases() -> [ConformanceCase] {
        // (input shape, window, strides, positions: all of them, or a chunk where they start later)
        let configurations: [([Int], [Int], [Int], Range<Int>)] = [
            ([1, 1], [1], [1], 0..<1), ([1, 10], [3], [2], 0..<5), ([1, 3, 5, 5], [3, 2, 2], [3, 2, 2], 0..<9),
            ([1, 3, 7, 6], [1, 3, 4], [1, 2, 3], 0..<18), ([1, 1, 13, 11], [1, 5, 4], [1, 3, 3], 0..<16),
            ([1, 3, 32, 32], [3, 8, 8], [3, 4, 4], 0..<49), ([1, 3, 8, 8], [3, 8, 8], [5, 1, 1], 0..<1),
            ([1, 2, 9, 8], [2, 4, 4], [1, 4, 3], 2..<7), ([1, 2, 5, 7, 6], [1, 2, 3, 2], [1, 1, 2, 2], 17..<40),
        ]
        return configurations.map { dimensions, window, strides, positions in
            let name = "occlusion batch of \(Shape(dimensions).label) window \(window) strides \(strides) "
                + "positions \(positions.lowerBound)..<\(positions.upperBound)"
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, "occlusionBatch", exact: true, shape: [positions.count] + dimensions.dropFirst()) { backend in
                try backend.occlusionBatch(try backend.upload(input), window: window, strides: strides, baseline: -0.5,
                                           positions: positions)
            }
        }
    }

    private static func statisticsCases() -> [ConformanceCase] {
        // (batch shape, centre of the values: far from zero tests the stability of the update)
        let configurations: [([Int], Double)] = [([1, 7], 0), ([5, 33], 0), ([33, 3, 7], 0), ([127, 65], 0), ([65, 1, 9], 100)]
        return configurations.map { dimensions, centre in
            let name = "sample statistics \(Shape(dimensions).label)" + (centre != 0 ? " around \(centre)" : "")
            var random = SplitMix64(name: name)
            let batch = HostTensor(dimensions, random.floats(Shape(dimensions).count, centre - 1, centre + 1))
            return .statistics(name, "sampleStatistics", batch: dimensions) { backend in
                try backend.sampleStatistics(try backend.upload(batch))
            }
        }
    }
}
