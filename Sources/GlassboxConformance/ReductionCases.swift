import GlassboxCore

extension BackendOperation {
    /// `reduce` for every kind over several axis sets (negative, mixed, one axis named twice, empty, all), keeping the
    /// reduced axes and dropping them, including one long row of 4097 elements.
    static func reduceCases() -> [ConformanceCase] {
        let configurations: [([Int], [Int])] = [
            ([127], [0]), ([7, 33], [0]), ([7, 33], [1]), ([7, 33], [0, 1]), ([3, 5, 65], [1]), ([3, 5, 65], [0, 2]),
            ([3, 5, 65], [-1]), ([2, 3, 4, 5], [1, 2, 3]), ([1, 1], [0, 1]), ([4, 4097], [1]), ([2, 3], []),
            ([2, 3, 4, 5], [0]), ([2, 3, 4, 5], [1, 3]), ([2, 3, 4, 5], [2, -3]), ([1, 5, 1], [0, 2]),
            ([3, 1, 7], [1]),
            ([4, 6], [1, -1]),
        ]
        return ReductionKind.allCases.flatMap { kind in
            [true, false].flatMap { keepDimensions in
                configurations.map { dimensions, axes in
                    let name =
                        "reduce \(kind.rawValue) \(Shape(dimensions).label) axes \(axes)"
                        + (keepDimensions ? " keeping dimensions" : "")
                    var random = SplitMix64(name: name)
                    let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, -2, 2))
                    let reduced = Set(axes.map { $0 < 0 ? $0 + dimensions.count : $0 })
                    let output = dimensions.indices.compactMap { axis in
                        reduced.contains(axis) ? (keepDimensions ? 1 : nil) : dimensions[axis]
                    }
                    return ConformanceCase.single(name, .reduce, shape: output) { backend in
                        try backend.reduce(try backend.upload(input), axes: axes, kind, keepDimensions: keepDimensions)
                    }
                }
            }
        }
    }
}
