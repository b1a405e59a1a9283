import GlassboxCore

extension BackendOperation {
    /// Round trips of special values (zeros of both signs, infinities, NaN, subnormals, extremes), bit for bit.
    static func uploadCases() -> [ConformanceCase] {
        let special: [Float] = [
            0, -0.0, 1, -2.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, -.leastNormalMagnitude, 3e-8, 0x1.fffffep-1,
        ]
        return [[0], [1], [3], [7], [33], [65], [127], [3, 7, 33]].map { dimensions in
            let shape = Shape(dimensions)
            var random = SplitMix64(name: "upload \(shape.label)")
            let values = (0..<shape.count).map { $0 < special.count ? special[$0] : random.floats(1, -1e3, 1e3)[0] }
            let input = HostTensor(dimensions, values)
            return .single("upload round trip \(shape.label)", .upload, shape: dimensions) { backend in
                try backend.upload(input)
            }
        }
    }

    /// Downloads of reshaped views, bit for bit.
    static func downloadCases() -> [ConformanceCase] {
        [([1], [1, 1, 1]), ([127], [127, 1]), ([65, 33], [5, 13, 33]), ([0, 3], [3, 0])].map { stored, viewed in
            var random = SplitMix64(name: "download \(Shape(viewed).label)")
            let input = HostTensor(stored, random.floats(Shape(stored).count))
            return .single("download \(input.label) viewed as \(Shape(viewed).label)", .download, shape: viewed) {
                backend in
                try backend.upload(input).reshaped(Shape(viewed))
            }
        }
    }

    /// Exact values (the sign of a zero fill is not part of the contract).
    static func filledCases() -> [ConformanceCase] {
        [([0], 1), ([1], 0), ([7], 1.5), ([33, 65], -3.25), ([3, 127], .infinity), ([2, 1, 5], -0.0)].map {
            dimensions, value in
            .single("filled \(Shape(dimensions).label) with \(value)", .filled, shape: dimensions) { backend in
                try backend.filled(Shape(dimensions), value: value)
            }
        }
    }

    /// Waiting for queued work: the result of operations enqueued before is complete and unchanged.
    static func synchronizeCases() -> [ConformanceCase] {
        var random = SplitMix64(name: "synchronize")
        let input = HostTensor([65, 33], random.floats(65 * 33))
        return [
            .single("synchronize after a product and a softmax", .synchronize, shape: [65, 65]) { backend in
                let x = try backend.upload(input)
                let product = try backend.gemm(
                    x, x, transposeA: false, transposeB: true, alpha: 1, beta: 0, accumulator: nil)
                let result = try backend.softmax(product, axis: 1, logarithm: false)
                try backend.synchronize()
                return result
            }
        ]
    }
}
