import GlassboxCore

/// Softmax (or log-softmax) over the class axis, subtracting the maximum first.
public struct Softmax: Layer, Hashable {
    public static let typeName = "softmax"
    public var axis: Int
    public var logarithm: Bool

    public init(axis: Int = 1, logarithm: Bool = false) {
        self.axis = axis
        self.logarithm = logarithm
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "softmax")
        guard (-input.rank..<input.rank).contains(axis) else {
            throw GlassboxError.invalidModel("softmax axis \(axis) out of range for \(input)")
        }
        return input
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.softmax(inputs[0], axis: axis, logarithm: logarithm))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [
            try step.backend.softmaxBackward(step.gradient, output: step.output, axis: axis, logarithm: logarithm)
        ])
    }
}
