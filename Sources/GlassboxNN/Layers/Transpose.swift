import GlassboxCore

/// Reorders the axes of each sample (ONNX `Transpose`, e.g. NHWC ↔ NCHW); the
/// batch axis stays first. The gradient is transposed back by the inverse permutation.
public struct Transpose: Layer, Hashable {
    public static let typeName = "transpose"
    /// Axis i of the output is axis `permutation[i]` of the input; `permutation[0]` is 0.
    public var permutation: [Int]

    public init(_ permutation: [Int]) { self.permutation = permutation }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "transpose")
        guard permutation.first == 0 else {
            throw GlassboxError.invalidModel("transpose \(permutation) would move the batch axis")
        }
        return try ShapeOperationPlans.transpose(of: input, permutation: permutation).shape
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.transpose(inputs[0], permutation: permutation))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        var inverse = permutation
        for (axis, source) in permutation.enumerated() { inverse[source] = axis }
        return LayerGradients(inputs: [try step.backend.transpose(step.gradient, permutation: inverse)])
    }
}
