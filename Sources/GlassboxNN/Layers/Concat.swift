import GlassboxCore

/// Joins its inputs along an axis (channels by default), as ONNX `Concat`.
public struct Concat: Layer, Hashable {
    public static let typeName = "concat"
    public var axis: Int

    public init(axis: Int = 1) { self.axis = axis }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard let first = inputShapes.first else { throw GlassboxError.invalidModel("concat takes at least one input") }
        guard axis >= 1, axis < first.rank else {
            throw GlassboxError.invalidModel("concat axis \(axis) must be a non-batch axis of \(first)")
        }
        var dimensions = first.dimensions
        dimensions[axis] = 0
        for shape in inputShapes {
            var others = shape.dimensions
            guard others.count == first.rank else {
                throw GlassboxError.shapeMismatch("concat of \(first) and \(shape)")
            }
            dimensions[axis] += others[axis]
            others[axis] = first[axis]
            guard others == first.dimensions else {
                throw GlassboxError.shapeMismatch("concat of \(first) and \(shape) along axis \(axis)")
            }
        }
        return Shape(dimensions)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.concat(inputs, axis: axis))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        var start = 0
        return LayerGradients(
            inputs: try step.inputs.map { input in
                defer { start += input.shape[axis] }
                return try step.backend.slice(step.gradient, axis: axis, range: start..<(start + input.shape[axis]))
            })
    }
}
