import GlassboxCore

/// Learned absolute position embeddings (Gehring et al. 2017, "Convolutional sequence to
/// sequence learning"; BERT's, Devlin et al. 2019): a trainable vector per position added
/// to the token vectors, N×T×D + P with P the parameter "weight" (T×D), drawn from
/// N(0, 0.02²) as BERT initialises it.
///
/// The input gradient is the output gradient; the weight gradient is its sum over the
/// samples. The layer is of no layer kind: LRP passes relevance through it by its
/// gradient, which leaves the relevance with the token vectors.
public struct PositionEmbedding: Layer, Hashable {
    public static let typeName = "position-embedding"
    /// T, the number of positions.
    public var length: Int
    /// D, the extent of each vector.
    public var dimension: Int

    /// Position vectors of `dimension` values for sequences of `length` steps.
    public init(length: Int, dimension: Int) {
        self.length = length
        self.dimension = dimension
    }

    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec(
                name: "weight", shape: [length, dimension], initialization: .normal(standardDeviation: 0.02))
        ]
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "position-embedding")
        guard input.rank == 3, input[1] == length, input[2] == dimension else {
            throw GlassboxError.shapeMismatch("position embedding expects N×\(length)×\(dimension), got \(input)")
        }
        return input
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let weight = try parameters.required("weight", layer: "position-embedding")
        return LayerOutput(try context.backend.binary(inputs[0], try weight.reshaped([1, length, dimension]), .add))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        var gradients = LayerGradients(inputs: [step.gradient])
        if step.wantsParameterGradients {
            gradients.parameters["weight"] = try step.backend.reduce(
                step.gradient, axes: [0], .sum, keepDimensions: false)
        }
        return gradients
    }
}
