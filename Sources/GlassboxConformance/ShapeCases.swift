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
