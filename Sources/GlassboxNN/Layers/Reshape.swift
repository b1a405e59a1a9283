import GlassboxCore

/// Gives each sample a new shape with the same element count; the batch axis is kept.
///
/// `Reshape.flatten` turns N×C×H×W into N×(C·H·W), as PyTorch's `Flatten`.
public struct Reshape: Layer, Hashable {
    public static let typeName = "reshape"
    /// The per-sample target shape; nil flattens each sample to one axis.
    public var sampleShape: Shape?

    public init(_ sampleShape: Shape?) { self.sampleShape = sampleShape }

    /// Flattens each sample to one axis.
    public static let flatten = Reshape(nil)

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "reshape")
        guard input.rank >= 1 else { throw GlassboxError.shapeMismatch("reshape needs a batch axis, got \(input)") }
        guard let count = input.sampleShape.checkedCount else {
            throw GlassboxError.shapeMismatch("samples of \(input.sampleShape) have too many elements")
        }
        let target = sampleShape ?? [count]
        guard target.checkedCount == count else {
            throw GlassboxError.shapeMismatch("cannot reshape samples of \(input.sampleShape) to \(target)")
        }
        return Shape([input[0]] + target.dimensions)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try inputs[0].reshaped(try outputShape(for: [inputs[0].shape])))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [try step.gradient.reshaped(step.inputs[0].shape)])
    }
}
