import GlassboxCore

extension BackendOperation {
    /// Streams for the random operations: seed 0, odd offsets that start at every lane of a
    /// Philox block, offsets whose draw counter or block counter carries past 2³², a stream
    /// number of 2³² − 1, and offsets that wrap past 2⁶⁴.
    static let streams: [RandomStream] = [
        RandomStream(seed: 0),
        RandomStream(seed: 42, stream: 1, offset: 3),
        RandomStream(seed: 0xDEAD_BEEF_CAFE_F00D, stream: 7, offset: (1 << 32) - 5),
        RandomStream(seed: 1, stream: .max, offset: .max - 60),
        RandomStream(seed: 0x0123_4567_89AB_CDEF, stream: 3, offset: 1_000_001),
        RandomStream(seed: 9, stream: 2, offset: 2),
        RandomStream(seed: 0xDEAD_BEEF_0BAD_F00D, stream: 5, offset: 6),
        RandomStream(seed: 7, stream: 0xFFFF_FFFF, offset: 3),
        RandomStream(seed: 99, stream: 1, offset: (1 << 34) - 7),
        RandomStream(seed: .max, stream: 2, offset: .max - 9),
        RandomStream(seed: 2024, stream: 9, offset: (1 << 32) + 3),
    ]
    /// One shape per stream: lengths of one, odd lengths around the 4-draw blocks and
    /// 8-block fills, several axes, and a long fill.
    private static let randomShapes = [
        [1], [7], [127], [33, 65], [3, 1, 5], [4099], [3], [65], [1, 33], [2, 7], [10_007],
    ]

    /// Bit-identical uniforms on every stream.
    static func randomUniformCases() -> [ConformanceCase] {
        zip(streams, randomShapes).map { stream, dimensions in
            .single("randomUniform \(Shape(dimensions).label) \(label(stream))", .randomUniform, shape: dimensions) {
                backend in
                try backend.randomUniform(Shape(dimensions), stream: stream)
            }
        }
    }

    /// Bit-identical normals on every stream, standard and scaled.
    static func randomNormalCases() -> [ConformanceCase] {
        let moments: [(mean: Float, deviation: Float)] = [
            (0, 1), (3, 0.5), (-1, 2), (0, 1), (0.25, 3), (10, 0.1),
            (-1.5, 0.3), (0, 1), (0, 1), (0, 1), (0, 1),
        ]
        return zip(zip(streams, randomShapes), moments).map { draw, moment in
            let (stream, dimensions) = draw
            return .single(
                "randomNormal \(Shape(dimensions).label) mean \(moment.mean) σ\(moment.deviation) \(label(stream))",
                .randomNormal, shape: dimensions
            ) { backend in
                try backend.randomNormal(
                    Shape(dimensions), mean: moment.mean, standardDeviation: moment.deviation, stream: stream)
            }
        }
    }

    /// Bit-identical masks on every stream, and the probabilities every backend refuses (1, negative, NaN).
    static func dropoutMaskCases() -> [ConformanceCase] {
        let probabilities: [Float] = [0, 0.1, 0.5, 0.9, 0.5, 0.25, 0.3, 0.9, 0, 0.5, 0.3]
        let masks = zip(zip(streams, randomShapes), probabilities).map { draw, probability in
            let (stream, dimensions) = draw
            return ConformanceCase.single(
                "dropoutMask \(Shape(dimensions).label) p\(probability) \(label(stream))",
                .dropoutMask, shape: dimensions
            ) { backend in
                try backend.dropoutMask(Shape(dimensions), probability: probability, stream: stream)
            }
        }
        return masks
            + [Float(1), -0.1, .nan].map { probability in
                .rejection("dropoutMask refuses p\(probability)", .dropoutMask) { backend in
                    _ = try backend.dropoutMask([4], probability: probability, stream: RandomStream(seed: 1))
                }
            }
    }

    /// A stream as in case names: "seed 42 stream 1 offset 3".
    static func label(_ stream: RandomStream) -> String {
        "seed \(stream.seed) stream \(stream.stream) offset \(stream.offset)"
    }
}
