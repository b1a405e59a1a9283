import GlassboxCore

/// The ranges of an ONNX `Slice` node resolved against its input's shape:
/// starts, ends, axes and steps (inputs from opset 10, attributes before),
/// negative values counted from the end and clamped as the operator's
/// specification says.
struct SliceAttributes {
    /// One sliced axis: the elements `start, start + step, …` before `end`.
    struct Range {
        var axis: Int
        var start: Int
        var end: Int
        var step: Int
        /// How many elements the range selects.
        var count: Int { step > 0 ? max(0, (end - start + step - 1) / step) : max(0, (start - end - step - 1) / -step) }
    }

    var ranges: [Range]

    init(ranges: [Range]) { self.ranges = ranges }

    init(_ node: ONNXNode, state: ImportState, shape: [Int]) throws {
        func parameter(_ index: Int, _ attribute: String) throws -> [Int]? {
            if state.opset < 10 { return node.ints(attribute) }
            // Exporters write "to the end" as INT64_MAX, beyond Float64's exact integers.
            return try node.input(index).map {
                var value = try state.constant($0, for: "the \(attribute) of '\(node.label)'")
                value.values = value.values.map { min(max($0, -0x1p52), 0x1p52) }
                return try value.integers("Slice's \(attribute)")
            }
        }
        guard let starts = try parameter(1, "starts"), let ends = try parameter(2, "ends"), starts.count == ends.count
        else {
            throw node.problem("needs as many starts as ends")
        }
        let rank = shape.count
        let axes = try parameter(3, "axes") ?? Array(0..<starts.count)
        let steps = try parameter(4, "steps") ?? Array(repeating: 1, count: starts.count)
        guard axes.count == starts.count, steps.count == starts.count else {
            throw node.problem("has \(starts.count) starts but \(axes.count) axes and \(steps.count) steps")
        }
        ranges = try (0..<starts.count).map { index in
            let axis = axes[index] < 0 ? axes[index] + rank : axes[index]
            guard (0..<rank).contains(axis) else { throw node.problem("slices axis \(axes[index]) of \(shape)") }
            let step = steps[index], extent = shape[axis]
            guard step != 0 else { throw node.problem("has step 0") }
            func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
                min(max(value < 0 ? value + extent : value, low), high)
            }
            return step > 0
                ? Range(
                    axis: axis, start: clamp(starts[index], 0, extent), end: clamp(ends[index], 0, extent), step: step)
                : Range(
                    axis: axis, start: clamp(starts[index], 0, extent - 1), end: clamp(ends[index], -1, extent - 1),
                    step: step)
        }
        guard Set(ranges.map(\.axis)).count == ranges.count else { throw node.problem("slices an axis twice") }
    }

    /// The shape of the result.
    func outputShape(of shape: [Int]) -> [Int] {
        var result = shape
        for range in ranges { result[range.axis] = range.count }
        return result
    }

    /// The slice of a constant.
    func apply(to data: ConstantTensor) -> ConstantTensor {
        let strides = ConstantTensor.strides(of: data.shape)
        var starts = [Int](repeating: 0, count: data.shape.count), steps = [Int](repeating: 1, count: data.shape.count)
        for range in ranges {
            starts[range.axis] = range.start
            steps[range.axis] = range.step
        }
        return data.rearranged(to: outputShape(of: data.shape)) { coordinates in
            coordinates.indices.reduce(0) { $0 + (starts[$1] + coordinates[$1] * steps[$1]) * strides[$1] }
        }
    }
}
