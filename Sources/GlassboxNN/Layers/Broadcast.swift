import GlassboxCore

/// Repeats a computed value to a larger shape, as ONNX `Expand` of a computed
/// value: the output has the input's extent of axis 0 (the rows, samples times a
/// fixed per-sample multiple, which are never repeated) and, after it, the NumPy
/// broadcast of the input's other axes and ``sampleShape``.
///
/// The broadcast follows NumPy's rules on the axes after axis 0: axes of extent 1
/// repeat to the target's extent, and when ``sampleShape`` has more axes than the
/// input has after axis 0, the new axes of extent 1 go right after axis 0. As in
/// ONNX `Expand`, a target extent of 1 keeps the input's extent.
///
/// The forward pass is `Backend.broadcast`; the backward pass sums the gradient over
/// the repeated axes (`Backend.reduce`). LRP uses the gradient here, which hands each
/// input entry the summed relevance of its copies.
public struct Broadcast: Layer, Hashable {
    public static let typeName = "broadcast"
    /// The target shape of the axes after axis 0 (ONNX `Expand`'s `shape` without its first entry).
    public var sampleShape: Shape

    /// Broadcasts each row to `sampleShape` (the target without axis 0).
    public init(sampleShape: Shape) { self.sampleShape = sampleShape }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "broadcast")
        guard input.rank >= 1 else { throw GlassboxError.shapeMismatch("broadcast needs a row axis, got \(input)") }
        let sample: Shape
        do {
            sample = try BroadcastLayout(input.sampleShape, sampleShape).shape
        } catch {
            throw GlassboxError.shapeMismatch(
                "cannot broadcast rows of \(input.sampleShape) to \(sampleShape) (NumPy rules, axis 0 kept)")
        }
        guard Shape.checkedProduct([input[0]] + sample.dimensions) != nil else {
            throw GlassboxError.shapeMismatch("broadcast of \(input) to \(sampleShape) has too many elements")
        }
        return Shape([input[0]] + sample.dimensions)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let input = inputs[0]
        let shape = try outputShape(for: [input.shape])
        guard shape != input.shape else { return LayerOutput(input) }
        return LayerOutput(
            try context.backend.broadcast(try RowBroadcasting.aligned(input, rank: shape.rank), to: shape))
    }

    /// The gradient summed over the axes the forward pass repeated.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(
            inputs: [try RowBroadcasting.unbroadcast(step.gradient, to: step.inputs[0].shape, backend: step.backend)])
    }
}
