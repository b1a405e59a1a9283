import GlassboxCore

extension BackendOperation {
    /// `softmax` (or, `backward`, `softmaxBackward` given each backend's own softmax output),
    /// with and without the logarithm, along several axes, including inputs far from zero
    /// (the maximum must be subtracted first).
    static func softmaxCases(backward: Bool) -> [ConformanceCase] {
        let configurations: [(shape: [Int], axis: Int, low: Double, high: Double)] = [
            ([1, 1], 1, -5, 5), ([7, 33], 1, -5, 5), ([7, 33], 0, -5, 5), ([3, 5, 127], -1, -5, 5),
            ([3, 5, 127], 1, -5, 5), ([2, 65, 3, 3], 1, -5, 5), ([127], 0, -5, 5), ([4, 33], 1, 50, 90),
            ([2, 7], -2, -5, 5), ([4, 1, 3], 1, -5, 5), ([2, 1000], 1, -5, 5), ([2, 3], 1, 995, 1005),
            ([3, 3], 1, -1005, -995),
        ]
        let operation: BackendOperation = backward ? .softmaxBackward : .softmax
        return [false, true].flatMap { logarithm in
            configurations.map { dimensions, axis, low, high in
                let name =
                    "\(operation)\(logarithm ? " of the logarithm" : "") \(Shape(dimensions).label) axis \(axis)"
                    + (low > 0 ? " of large inputs" : "")
                var random = SplitMix64(name: name)
                let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, low, high))
                let gradient = HostTensor(dimensions, random.floats(input.values.count))
                return .single(name, operation, shape: dimensions) { backend in
                    let output = try backend.softmax(try backend.upload(input), axis: axis, logarithm: logarithm)
                    guard backward else { return output }
                    return try backend.softmaxBackward(
                        try backend.upload(gradient), output: output, axis: axis, logarithm: logarithm)
                }
            }
        }
    }
}
