import GlassboxCore

extension BackendOperation {
    static func transposeCases() -> [ConformanceCase] {
        let configurations: [([Int], [Int])] = [
            ([127], [0]), ([7, 33], [1, 0]), ([2, 3, 65], [0, 2, 1]), ([2, 5, 7, 3], [0, 2, 3, 1]),
            ([3, 1, 4, 6], [3, 2, 0, 1]),
        ]
        return configurations.map { dimensions, permutation in
            let name = "transpose \(Shape(dimensions).label) by \(permutation)"
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            return .single(name, .transpose, shape: permutation.map { dimensions[$0] }) { backend in
                try backend.transpose(try backend.upload(input), permutation: permutation)
            }
        }
    }

    static func broadcastCases() -> [ConformanceCase] {
        let pairs: [([Int], [Int])] = [
            ([1], [127]), ([3, 1], [3, 65]), ([1, 7, 1], [5, 7, 33]), ([7], [3, 7]),
            ([], [2, 3]), ([1, 1], [1, 1]), ([3, 1], [2, 3, 4]), ([1, 1, 1], [2, 1, 3]), ([2, 3], [2, 3]),
        ]
        return pairs.map { from, to in
            let name = "broadcast \(Shape(from).label) to \(Shape(to).label)"
            var random = SplitMix64(name: name)
            let input = HostTensor(from, random.floats(Shape(from).count))
            return .single(name, .broadcast, shape: to) { backend in
                try backend.broadcast(try backend.upload(input), to: Shape(to))
            }
        }
    }

    static func concatCases() -> [ConformanceCase] {
        let configurations: [([[Int]], Int)] = [
            ([[2, 3], [5, 3]], 0), ([[7, 1], [7, 33], [7, 65]], 1), ([[2, 3, 4], [2, 3, 1]], -1), ([[1, 127]], 0),
            ([[2, 5, 3, 3], [2, 7, 3, 3]], 1), ([[2, 1, 4], [2, 3, 4], [2, 2, 4]], -2),
            ([[2, 0], [2, 2], [2, 0]], 1),
        ]
        return configurations.map { shapes, axis in
            let name = "concat \(shapes.map { Shape($0).label }.joined(separator: ", ")) axis \(axis)"
            var random = SplitMix64(name: name)
            let inputs = shapes.map { HostTensor($0, random.floats(Shape($0).count)) }
            let position = axis < 0 ? axis + shapes[0].count : axis
            var output = shapes[0]
            output[position] = shapes.map { $0[position] }.reduce(0, +)
            return .single(name, .concat, shape: output) { backend in
                try backend.concat(try inputs.map { try backend.upload($0) }, axis: axis)
            }
        }
    }

    static func sliceCases() -> [ConformanceCase] {
        let configurations: [([Int], Int, Range<Int>)] = [
            ([127], 0, 3..<70), ([7, 33], 1, 0..<1), ([7, 33], 0, 6..<7), ([3, 5, 65], -1, 32..<65),
            ([2, 6, 4, 4], 1, 1..<4), ([5, 3], 0, 2..<2), ([3, 5, 2], 1, 0..<5),
        ]
        return configurations.map { dimensions, axis, range in
            let name = "slice \(Shape(dimensions).label) axis \(axis) \(range.lowerBound)..<\(range.upperBound)"
            var random = SplitMix64(name: name)
            let input = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            var output = dimensions
            output[axis < 0 ? axis + dimensions.count : axis] = range.count
            return .single(name, .slice, shape: output) { backend in
                try backend.slice(try backend.upload(input), axis: axis, range: range)
            }
        }
    }

    /// `count` row indices for a table of `rows` rows: mostly whole numbers in `0 ..< rows + 2`
    /// (the last two naming no row), and every fifth a value that names row 0 (−0) or none
    /// (−1, a fraction, NaN, ∞, `rows` itself).
    private static func rowIndices(_ count: Int, rows: Int, _ random: inout SplitMix64) -> [Float] {
        let special: [Float] = [-1, 2.5, .nan, -0.0, .infinity, Float(rows)]
        return (0..<count).map { position in
            position % 5 == 4 ? special[position / 5 % special.count] : Float(random.index(rows + 2))
        }
    }

    static func gatherRowsCases() -> [ConformanceCase] {
        let configurations: [([Int], [Int])] = [
            ([1, 1], []), ([7, 33], [5]), ([50, 65], [3, 17]), ([10, 1], [2, 3, 4]), ([4, 0], [3]), ([0, 3], [2, 2]),
            ([1000, 16], [4, 129]),
        ]
        let values = configurations.map { table, indices in
            let name = "gatherRows \(Shape(table).label) at \(Shape(indices).label)"
            var random = SplitMix64(name: name)
            let rows = HostTensor(table, random.floats(Shape(table).count, -3, 3))
            let ids = HostTensor(indices, rowIndices(Shape(indices).count, rows: table[0], &random))
            return ConformanceCase.single(name, .gatherRows, shape: indices + [table[1]]) { backend in
                try backend.gatherRows(try backend.upload(rows), indices: try backend.upload(ids))
            }
        }
        let refused: [([Int], [Int])] = [([3], [2]), ([2, 3, 4], [2])]
        return values
            + refused.map { table, indices in
                .rejection("gatherRows refuses a \(Shape(table).label) table", .gatherRows) { backend in
                    _ = try backend.gatherRows(
                        try backend.filled(Shape(table), value: 1),
                        indices: try backend.filled(Shape(indices), value: 0))
                }
            }
    }

    static func scatterAddRowsCases() -> [ConformanceCase] {
        let configurations: [([Int], Int, Int)] = [
            ([1], 1, 1), ([5, 33], 7, 3), ([3, 17, 65], 50, 10), ([4, 1], 0, 2), ([300, 8], 3, 3),
            ([2, 0], 4, 4), ([4, 129, 16], 1000, 1000),
        ]
        let values = configurations.map { dimensions, rows, drawn in
            let name = "scatterAddRows \(Shape(dimensions).label) to \(rows) rows"
            var random = SplitMix64(name: name)
            let indexShape = Array(dimensions.dropLast())
            let summands = HostTensor(dimensions, random.floats(Shape(dimensions).count, -3, 3))
            // Ids below `drawn + 2` (a small `drawn` makes long runs of repeats), with the special values.
            let ids = HostTensor(indexShape, rowIndices(Shape(indexShape).count, rows: drawn, &random))
            return ConformanceCase.single(name, .scatterAddRows, shape: [rows, dimensions.last!]) { backend in
                try backend.scatterAddRows(try backend.upload(summands), indices: try backend.upload(ids), rows: rows)
            }
        }
        let refused: [([Int], [Int], Int)] = [
            ([2, 3], [3], 4), ([], [], 4), ([2, 3], [2], -1), ([2, 3], [2, 1], 4),
        ]
        return values
            + refused.map { dimensions, indices, rows in
                .rejection(
                    "scatterAddRows refuses \(Shape(dimensions).label) at \(Shape(indices).label) to \(rows) rows",
                    .scatterAddRows
                ) { backend in
                    _ = try backend.scatterAddRows(
                        try backend.filled(Shape(dimensions), value: 1),
                        indices: try backend.filled(Shape(indices), value: 0), rows: rows)
                }
            }
    }

    static func batchNormCases() -> [ConformanceCase] {
        let configurations: [([Int], Float)] = [
            ([1, 1], 1e-5), ([7, 33], 1e-3), ([2, 5, 7, 7], 1e-5), ([3, 65, 1, 1], 1e-3),
            ([4, 3, 33], 1e-5),
        ]
        return configurations.map { dimensions, epsilon in
            let name = "batchNorm \(Shape(dimensions).label) ε\(epsilon)"
            var random = SplitMix64(name: name)
            let channels = dimensions[1]
            let x = HostTensor(dimensions, random.floats(Shape(dimensions).count, -3, 3))
            let mean = HostTensor([channels], random.floats(channels))
            let variance = HostTensor([channels], random.floats(channels, 0, 4))
            let scale = HostTensor([channels], random.floats(channels, -2, 2))
            let offset = HostTensor([channels], random.floats(channels))
            return .single(name, .batchNorm, shape: dimensions) { backend in
                try backend.batchNorm(
                    try backend.upload(x), mean: try backend.upload(mean),
                    variance: try backend.upload(variance), scale: try backend.upload(scale),
                    offset: try backend.upload(offset), epsilon: epsilon)
            }
        }
    }
}
