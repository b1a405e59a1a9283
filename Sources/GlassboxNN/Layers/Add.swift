import GlassboxCore

/// The elementwise sum of two or more inputs of one shape (residual connections).
public struct Add: AdditionLayer, Hashable {
    public static let typeName = "add"

    public init() {}

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard let first = inputShapes.first, inputShapes.count >= 2 else {
            throw GlassboxError.invalidModel("add takes at least two inputs, got \(inputShapes.count)")
        }
        guard inputShapes.allSatisfy({ $0 == first }) else {
            throw GlassboxError.shapeMismatch(
                "add of differing shapes \(inputShapes.map(\.description).joined(separator: ", "))")
        }
        return first
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        var sum = inputs[0]
        for term in inputs.dropFirst() { sum = try context.backend.binary(sum, term, .add) }
        return LayerOutput(sum)
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: Array(repeating: step.gradient, count: step.inputs.count))
    }
}
