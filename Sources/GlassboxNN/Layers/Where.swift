import GlassboxCore

/// Chooses between two computed values by a computed condition, as ONNX `Where`:
/// with inputs (condition, a, b), the output is a where the condition is nonzero and
/// b elsewhere (attention masks, for instance).
///
/// The three inputs broadcast as NumPy does on the axes after axis 0, never across
/// axis 0 (the rows, samples times a fixed per-sample multiple): their axis 0
/// extents agree, and a lower-rank input gets its new axes of extent 1 right after
/// axis 0. A constant operand comes in through a ``SampleConstant``.
///
/// The forward pass computes `mask·a + (1 − mask)·b` with mask = [condition ≠ 0],
/// so a and b must be finite where they are not chosen: the importer replaces ±∞
/// in them (attention masks use −∞) by ±`Float.greatestFiniteMagnitude`, and a NaN
/// in either operand makes the output NaN. A NaN condition counts as zero.
///
/// The gradient is g·mask to a and g·(1 − mask) to b, each summed over the axes along
/// which it was broadcast, and zero to the condition. LRP uses the gradient here,
/// which moves each output's relevance to the operand it was copied from, unchanged.
public struct Where: Layer, Hashable {
    public static let typeName = "where"

    /// ONNX `Where(condition, a, b)`.
    public init() {}

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard inputShapes.count == 3 else {
            throw GlassboxError.invalidModel("where takes three inputs (condition, a, b), got \(inputShapes.count)")
        }
        return try RowBroadcasting.shape(of: inputShapes, layer: "where")
    }

    /// [condition ≠ 0] (1 or 0) and 1 − that mask, aligned to `rank` axes.
    private func masks(_ condition: Tensor, rank: Int, backend: any Backend) throws -> (Tensor, Tensor) {
        let aligned = try RowBroadcasting.aligned(condition, rank: rank)
        let mask = try backend.unary(try backend.unary(aligned, .abs), .positiveIndicator)
        return (mask, try backend.affine(mask, scale: -1, shift: 1))
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let rank = try outputShape(for: inputs.map(\.shape)).rank
        let (mask, inverse) = try masks(inputs[0], rank: rank, backend: backend)
        let a = try RowBroadcasting.aligned(inputs[1], rank: rank)
        let b = try RowBroadcasting.aligned(inputs[2], rank: rank)
        return LayerOutput(
            try backend.binary(
                try backend.binary(mask, a, .multiply), try backend.binary(inverse, b, .multiply), .add))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, g = step.gradient
        let (mask, inverse) = try masks(step.inputs[0], rank: g.shape.rank, backend: backend)
        return LayerGradients(inputs: [
            try backend.filled(step.inputs[0].shape, value: 0),
            try RowBroadcasting.unbroadcast(
                try backend.binary(g, mask, .multiply), to: step.inputs[1].shape, backend: backend),
            try RowBroadcasting.unbroadcast(
                try backend.binary(g, inverse, .multiply), to: step.inputs[2].shape, backend: backend),
        ])
    }
}
