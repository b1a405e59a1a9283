import GlassboxCore

extension ConformanceSuite {
    /// `upload` (round trips of special values, bit for bit), `download` (of reshaped views, bit for bit)
    /// and `filled` (exact values; the sign of a zero fill is not part of the contract).
    static func memoryCases() -> [ConformanceCase] {
        let special: [Float] = [0, -0.0, 1, -2.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, -.leastNormalMagnitude, 3e-8, 0x1.fffffep-1]
        let uploads = [[0], [1], [3], [7], [33], [65], [127], [3, 7, 33]].map { dimensions in
            let shape = Shape(dimensions)
            var random = SplitMix64(name: "upload \(shape.label)")
            let values = (0..<shape.count).map { $0 < special.count ? special[$0] : random.floats(1, -1e3, 1e3)[0] }
            let input = HostTensor(dimensions, values)
            return ConformanceCase.single("upload round trip \(shape.label)", "upload", exact: true, shape: dimensions) { backend in
                try backend.upload(input)
            }
        }
        let downloads = [([1], [1, 1, 1]), ([127], [127, 1]), ([65, 33], [5, 13, 33]), ([0, 3], [3, 0])].map { stored, viewed in
            var random = SplitMix64(name: "download \(Shape(viewed).label)")
            let input = HostTensor(stored, random.floats(Shape(stored).count))
            return ConformanceCase.single("download \(input.label) viewed as \(Shape(viewed).label)", "download",
                                          exact: true, shape: viewed) { backend in
                try backend.upload(input).reshaped(Shape(viewed))
            }
        }
        let fills: [([Int], Float)] = [([0], 1), ([1], 0), ([7], 1.5), ([33, 65], -3.25), ([3, 127], .infinity), ([2, 1, 5], -0.0)]
        let filled = fills.map { dimensions, value in
            ConformanceCase.single("filled \(Shape(dimensions).label) with \(value)", "filled", tolerance: 0, shape: dimensions) { backend in
                try backend.filled(Shape(dimensions), value: value)
            }
        }
        return uploads + downloads + filled
    }
}
