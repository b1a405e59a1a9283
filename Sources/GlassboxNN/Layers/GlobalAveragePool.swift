import GlassboxCore

/// The mean of each channel over its H×W plane: N×C×H×W → N×C×1×1 (ONNX `GlobalAveragePool`).
public struct GlobalAveragePool: PoolingLayer, Hashable {
    public static let typeName = "global-average-pool"

    public init() {}

    /// The mean: each channel's plane is one window.
    public var pooling: PoolingKind { .average(countIncludePadding: true) }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "global average pool")
        guard input.rank == 4 else {
            throw GlassboxError.shapeMismatch("global average pool expects N×C×H×W, got \(input)")
        }
        return [input[0], input[1], 1, 1]
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.reduce(inputs[0], axes: [2, 3], .mean, keepDimensions: true))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let input = step.inputs[0], backend = step.backend
        let spread = try backend.broadcast(step.gradient, to: input.shape)
        return LayerGradients(inputs: [
            try backend.affine(spread, scale: 1 / Float(input.shape[2] * input.shape[3]), shift: 0)
        ])
    }
}
