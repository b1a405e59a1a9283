import Foundation
import GlassboxCore

extension ConformanceSuite {
    /// `softmax` and `softmaxBackward`, with and without the logarithm, along several axes,
    /// including inputs far from zero (the maximum must be subtracted first).
    static func softmaxCases() -> [ConformanceCase] {
        let configurations: [(shape: [Int], axis: Int, low: Double, high: Double)] = [
            ([1, 1], 1, -5, 5), ([7, 33], 1, -5, 5), ([7, 33], 0, -5, 5), ([3, 5, 127], -1, -5, 5),
            ([3, 5, 127], 1, -5, 5), ([2, 65, 3, 3], 1, -5, 5), ([127], 0, -5, 5), ([4, 33], 1, 50, 90),
        ]
        var forward: [ConformanceCase] = [], backward: [ConformanceCase] = []
        for logarithm in [false, true] {
            for (dimensions, axis, low, high) in configurations {
                let label = "\(logarithm ? "log-softmax" : "softmax") \(Shape(dimensions).label) axis \(axis)"
                    + (low > 0 ? " of large inputs" : "")
                var random = SplitMix64(name: label)
                let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, low, high))
                forward.append(.single(label, "softmax", tolerance: Tolerance.accumulation, shape: dimensions) { backend in
                    try backend.softmax(try backend.upload(input), axis: axis, logarithm: logarithm)
                })
                let output = HostTensor(dimensions, softmax(input, axis: axis, logarithm: logarithm))
                let gradient = HostTensor(dimensions, random.floats(input.values.count))
                backward.append(.single("\(label) backward", "softmaxBackward", tolerance: Tolerance.accumulation,
                                        shape: dimensions) { backend in
                    try backend.softmaxBackward(try backend.upload(gradient), output: try backend.upload(output),
                                                axis: axis, logarithm: logarithm)
                })
            }
        }
        return forward + backward
    }

    /// Softmax on the host in Float64, to hand `softmaxBackward` a consistent output.
    private static func softmax(_ x: HostTensor, axis: Int, logarithm: Bool) -> [Float] {
        let extent = x.shape[axis], inner = x.shape.stride(of: axis)
        var result = [Float](repeating: 0, count: x.values.count)
        for outer in 0..<(x.values.count / max(extent * inner, 1)) {
            for position in 0..<inner {
                let indices = (0..<extent).map { outer * extent * inner + $0 * inner + position }
                let maximum = indices.map { Double(x.values[$0]) }.max() ?? 0
                let total = indices.reduce(0.0) { $0 + Foundation.exp(Double(x.values[$1]) - maximum) }
                for index in indices {
                    let shifted = Double(x.values[index]) - maximum
                    result[index] = Float(logarithm ? shifted - Foundation.log(total) : Foundation.exp(shifted) / total)
                }
            }
        }
        return result
    }
}
