import GlassboxCore

extension ConformanceSuite {
    /// Streams for the random operations: seed 0, odd offsets, an offset whose draw
    /// counter carries past 2³², and one that wraps past 2⁶⁴.
    private static let streams: [RandomStream] = [
        RandomStream(seed: 0),
        RandomStream(seed: 42, stream: 1, offset: 3),
        RandomStream(seed: 0xDEAD_BEEF_CAFE_F00D, stream: 7, offset: (1 << 32) - 5),
        RandomStream(seed: 1, stream: .max, offset: .max - 60),
        RandomStream(seed: 0x0123_4567_89AB_CDEF, stream: 3, offset: 1_000_001),
        RandomStream(seed: 9, stream: 2, offset: 2),
    ]
    private static let randomShapes = [[1], [7], [127], [33, 65], [3, 1, 5], [4099]]

    /// `randomUniform`, `randomNormal` and `dropoutMask`: bit-identical to the reference.
    static func randomCases() -> [ConformanceCase] {
        let draws = zip(streams, randomShapes)
        let uniform = draws.map { stream, dimensions in
            ConformanceCase.single("random uniform \(Shape(dimensions).label) \(label(stream))", "randomUniform",
                                   exact: true, shape: dimensions) { backend in
                try backend.randomUniform(Shape(dimensions), stream: stream)
            }
        }
        let moments: [(mean: Float, deviation: Float)] = [(0, 1), (3, 0.5), (-1, 2), (0, 1), (0.25, 3), (10, 0.1)]
        let normal = zip(draws, moments).map { draw, moment in
            let (stream, dimensions) = draw
            return ConformanceCase.single("random normal \(Shape(dimensions).label) mean \(moment.mean) σ\(moment.deviation) "
                                          + label(stream), "randomNormal", exact: true, shape: dimensions) { backend in
                try backend.randomNormal(Shape(dimensions), mean: moment.mean, standardDeviation: moment.deviation, stream: stream)
            }
        }
        let probabilities: [Float] = [0, 0.1, 0.5, 0.9, 0.5, 0.25]
        let dropout = zip(draws, probabilities).map { draw, probability in
            let (stream, dimensions) = draw
            return ConformanceCase.single("dropout mask \(Shape(dimensions).label) p\(probability) \(label(stream))",
                                          "dropoutMask", exact: true, shape: dimensions) { backend in
                try backend.dropoutMask(Shape(dimensions), probability: probability, stream: stream)
            }
        }
        return uniform + normal + dropout
    }

    /// A stream as in case names: "seed 42 stream 1 offset 3".
    static func label(_ stream: RandomStream) -> String {
        "seed \(stream.seed) stream \(stream.stream) offset \(stream.offset)"
    }
}
