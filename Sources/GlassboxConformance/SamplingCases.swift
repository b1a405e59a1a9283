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

    /// Bit-identical copies with features switched off: one fill row and background rows, one
    /// feature and many, feature numbers that never switch off (−1, non-integral, too large,
    /// NaN) beside −0 (feature 0), mask entries that count as present (NaN, negative,
    /// fractional) beside −0 (absent), a batch the CPU splits over its cores; and the
    /// shapes every backend refuses.
    static func maskedBatchCases() -> [ConformanceCase] {
        // (input shape, features F, fill rows R, masks N)
        let configurations: [([Int], Int, Int, Int)] = [
            ([1, 1], 1, 1, 1), ([1, 7], 3, 1, 4), ([1, 3, 5, 5], 6, 1, 33), ([1, 3, 5, 5], 6, 3, 5),
            ([1, 127], 20, 2, 7), ([1, 2, 9, 8], 17, 5, 9), ([1, 3, 32, 32], 40, 2, 21),
        ]
        let cases = configurations.map { dimensions, featureCount, rows, count in
            let input = Shape(dimensions)
            let name = "maskedBatch of \(input.label) with \(featureCount) features, \(rows) fill rows, \(count) masks"
            var random = SplitMix64(name: name)
            let special: [Float] = [-1, 1.5, Float(featureCount), .nan, -0.0]
            let features = (0..<input.count).map { e in
                e % 7 == 3 ? special[e / 7 % special.count] : Float(random.index(featureCount))
            }
            let present: [Float] = [1, .nan, -2, 0.5, 1]
            let masks = (0..<count * featureCount).map { i in
                random.index(2) == 0 ? (i % 5 == 0 ? -0.0 : 0) : present[i % present.count]
            }
            let values = HostTensor(dimensions, random.floats(input.count))
            let fill = HostTensor([rows] + dimensions.dropFirst(), random.floats(rows * input.count, 2, 3))
            return ConformanceCase.single(name, .maskedBatch, shape: [count * rows] + dimensions.dropFirst()) {
                backend in
                try backend.maskedBatch(
                    try backend.upload(values), features: try backend.upload(features, shape: input.sampleShape),
                    fill: try backend.upload(fill), masks: try backend.upload(masks, shape: [count, featureCount]))
            }
        }
        // (input, features, fill, masks): a batch, a scalar, features or fill rows of another size,
        // no fill rows, masks of rank 1 or 3, no features, no masks
        let refused: [([Int], [Int], [Int], [Int])] = [
            ([2, 3], [3], [1, 3], [2, 2]), ([], [1], [1], [2, 2]), ([1, 3], [4], [1, 3], [2, 2]),
            ([1, 3], [3], [2, 4], [2, 2]), ([1, 3], [3], [0, 3], [2, 2]), ([1, 3], [3], [1, 3], [4]),
            ([1, 3], [3], [1, 3], [1, 2, 2]), ([1, 3], [3], [1, 3], [2, 0]), ([1, 3], [3], [1, 3], [0, 2]),
        ]
        return cases
            + refused.map { input, features, fill, masks in
                .rejection(
                    "maskedBatch refuses \(Shape(input).label) with features \(Shape(features).label), "
                        + "fill \(Shape(fill).label) and masks \(Shape(masks).label)",
                    .maskedBatch
                ) { backend in
                    _ = try backend.maskedBatch(
                        backend.filled(Shape(input), value: 1), features: backend.filled(Shape(features), value: 0),
                        fill: backend.filled(Shape(fill), value: 0), masks: backend.filled(Shape(masks), value: 1))
                }
            }
    }

    /// Bit-identical packed rows: rows of one element, rows with nothing, some and everything
    /// removed, −0 removed with 0, NaN removing nothing, several axes, many rows; and the
    /// scalar every backend refuses.
    static func packRowsCases() -> [ConformanceCase] {
        // (shape, removed value, padding)
        let configurations: [([Int], Float, Float)] = [
            ([1], 0, -1), ([5, 1], 0, -1), ([7], 3, 0), ([4, 9], 0, 1), ([2, 3, 17], 2, -1), ([6, 12], .nan, 9),
            ([500, 130], 0, 0),
        ]
        return configurations.map { dimensions, value, padding in
            let shape = Shape(dimensions)
            let name = "packRows of \(shape.label) removing \(value) padding \(padding)"
            var random = SplitMix64(name: name)
            // Token ids 0 ..< 4 (−0 for some zeros), and rows that are all removed or all kept.
            let length = dimensions[dimensions.count - 1]
            let ids = (0..<shape.count).map { i -> Float in
                switch i / length % 5 {
                case 1 where shape.count > length: value
                case 2 where shape.count > length: 4 + Float(random.index(3))
                default:
                    random.index(4) == 0 && i % 2 == 0 ? -0.0 : Float(random.index(4))
                }
            }
            return .single(name, .packRows, shape: dimensions) { backend in
                try backend.packRows(try backend.upload(ids, shape: shape), removing: value, padding: padding)
            }
        }
            + [
                .rejection("packRows refuses a scalar", .packRows) { backend in
                    _ = try backend.packRows(backend.filled([], value: 0), removing: 0, padding: -1)
                }
            ]
    }

    /// Bit-identical RISE masks: one cell, more cells than pixels, sizes that are not multiples
    /// of the cells, probabilities 0 and 1, chunks that start at a later mask, every stream
    /// (offsets that wrap past 2⁶⁴ included), an ImageNet-size batch; and the arguments
    /// every backend refuses.
    static func riseMasksCases() -> [ConformanceCase] {
        // (height, width, cells, probability, samples)
        let configurations: [(Int, Int, Int, Float, Range<Int>)] = [
            (1, 1, 1, 0.5, 0..<1), (5, 7, 1, 0.5, 0..<3), (7, 5, 3, 0.5, 0..<4), (3, 4, 6, 0.5, 0..<5),
            (13, 11, 4, 0.25, 0..<9), (13, 11, 4, 0.25, 5..<9), (32, 32, 8, 0.5, 0..<16), (32, 32, 8, 0.5, 3..<7),
            (9, 9, 2, 0, 0..<2), (9, 9, 2, 1, 0..<2), (224, 224, 7, 0.5, 0..<3),
        ]
        let masks = zip(configurations, streams).map { configuration, stream in
            let (height, width, cells, probability, samples) = configuration
            return ConformanceCase.single(
                "riseMasks \(height)×\(width) \(cells) cells p\(probability) samples "
                    + "\(samples.lowerBound)..<\(samples.upperBound) \(label(stream))",
                .riseMasks, shape: [samples.count, 1, height, width]
            ) { backend in
                try backend.riseMasks(
                    height: height, width: width, cells: cells, probability: probability, stream: stream,
                    samples: samples)
            }
        }
        let refused: [(Int, Int, Int, Float, Range<Int>)] = [
            (8, 8, 0, 0.5, 0..<2), (8, 8, 2, -0.1, 0..<2), (8, 8, 2, 1.1, 0..<2), (8, 8, 2, .nan, 0..<2),
            (8, 8, 2, 0.5, 3..<3), (8, 8, 2, 0.5, -1..<2), (0, 8, 2, 0.5, 0..<2), (8, -1, 2, 0.5, 0..<2),
        ]
        return masks
            + refused.map { height, width, cells, probability, samples in
                .rejection(
                    "riseMasks refuses \(height)×\(width) \(cells) cells p\(probability) samples "
                        + "\(samples.lowerBound)..<\(samples.upperBound)",
                    .riseMasks
                ) { backend in
                    _ = try backend.riseMasks(
                        height: height, width: width, cells: cells, probability: probability,
                        stream: RandomStream(seed: 3), samples: samples)
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
