import GlassboxCore

/// Gives each row block a new shape with the same element count (ONNX `Reshape`,
/// `Flatten`, `Squeeze`, `Unsqueeze`).
///
/// The target is `sampleShape`, every axis but the first; the extent of axis 0
/// is what the element count leaves, so a batch of N samples stays N blocks laid
/// one after another: N×C×H×W to N×(C·H·W), but also a transformer's N×H×W×C
/// to (N·windows)×49×C and back (the importer's batch convention, see
/// GlassboxONNX's `ONNXImporter`). `Reshape.flatten` keeps axis 0 and joins the
/// rest, as PyTorch's `Flatten`.
public struct Reshape: Layer, Hashable {
    public static let typeName = "reshape"
    /// The target's extents after axis 0; nil flattens everything after axis 0 into one axis.
    public var sampleShape: Shape?

    public init(_ sampleShape: Shape?) { self.sampleShape = sampleShape }

    /// Flattens each sample to one axis.
    public static let flatten = Reshape(nil)

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "reshape")
        guard input.rank >= 1 else { throw GlassboxError.shapeMismatch("reshape needs a batch axis, got \(input)") }
        guard let count = input.checkedCount, let rowCount = input.sampleShape.checkedCount else {
            throw GlassboxError.shapeMismatch("\(input) has too many elements")
        }
        guard let sampleShape else { return Shape([input[0], rowCount]) }
        guard let targetCount = sampleShape.checkedCount, targetCount > 0, count % targetCount == 0 else {
            throw GlassboxError.shapeMismatch("cannot reshape \(input) to blocks of \(sampleShape)")
        }
        return Shape([count / targetCount] + sampleShape.dimensions)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try inputs[0].reshaped(try outputShape(for: [inputs[0].shape])))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [try step.gradient.reshaped(step.inputs[0].shape)])
    }
}
