import GlassboxCore

/// Constant padding of each sample (ONNX `Pad` in constant mode): `before[i]`
/// and `after[i]` elements of `value` around sample axis i. The gradient is
/// the slice of the incoming gradient that covers the input.
public struct Pad: Layer, Hashable {
    public static let typeName = "pad"
    /// Elements added before each sample axis (the axes after the batch axis).
    public var before: [Int]
    /// Elements added after each sample axis.
    public var after: [Int]
    public var value: Float

    public init(before: [Int], after: [Int], value: Float = 0) {
        self.before = before
        self.after = after
        self.value = value
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "pad")
        guard before.count == input.rank - 1, after.count == input.rank - 1,
            (before + after).allSatisfy({ $0 >= 0 && $0 <= 1 << 20 })
        else {
            throw GlassboxError.invalidModel(
                "pad \(before)/\(after) does not fit samples of \(input.sampleShape) (non-negative, one per axis)")
        }
        return Shape(
            [input[0]]
                + input.sampleShape.dimensions.enumerated().map { $0.element + before[$0.offset] + after[$0.offset] })
    }

    /// Concatenates blocks of `value` before and after the input along each padded axis.
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        var padded = inputs[0]
        for axis in 1..<padded.shape.rank where before[axis - 1] > 0 || after[axis - 1] > 0 {
            var parts = [padded]
            for (count, leading) in [(before[axis - 1], true), (after[axis - 1], false)] where count > 0 {
                var dimensions = padded.shape.dimensions
                dimensions[axis] = count
                let block = try backend.filled(Shape(dimensions), value: value)
                if leading { parts.insert(block, at: 0) } else { parts.append(block) }
            }
            padded = try backend.concat(parts, axis: axis)
        }
        return LayerOutput(padded)
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        var gradient = step.gradient
        let input = step.inputs[0].shape
        for axis in 1..<input.rank where before[axis - 1] > 0 || after[axis - 1] > 0 {
            gradient = try step.backend.slice(
                gradient, axis: axis, range: before[axis - 1]..<(before[axis - 1] + input[axis]))
        }
        return LayerGradients(inputs: [gradient])
    }
}
