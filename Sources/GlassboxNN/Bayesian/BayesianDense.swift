import GlassboxCore

/// A dense layer (N×in → N×out) with a Gaussian posterior over its weights and
/// biases, sampled by local reparameterisation (see ``BayesianLayer``; Blundell
/// et al. 2015, Kingma et al. 2015).
public struct BayesianDense: BayesianLayer, FullyConnectedLayer, Hashable {
    public static let typeName = "bayesian-dense"
    public var inputFeatures: Int
    public var outputFeatures: Int
    public var prior: WeightPrior

    public init(_ inputFeatures: Int, _ outputFeatures: Int, prior: WeightPrior = .blundell) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        self.prior = prior
    }

    public var weightShape: Shape { [outputFeatures, inputFeatures] }
    public var outputChannels: Int { outputFeatures }
    public var parameterSpecs: [ParameterSpec] { bayesianParameterSpecs(fanIn: inputFeatures) }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "Bayesian dense")
        guard input.rank == 2, input[1] == inputFeatures, outputFeatures > 0 else {
            throw GlassboxError.shapeMismatch(
                "Bayesian dense expects N×\(inputFeatures) and positive outputs, got \(input)")
        }
        return [input[0], outputFeatures]
    }

    public func linear(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try x.backend.gemm(x, weight, transposeA: false, transposeB: true, alpha: 1, beta: 0, accumulator: nil)
    }

    public func linearTransposed(_ gradient: Tensor, weight: Tensor, inputShape: Shape) throws -> Tensor {
        try gradient.backend.gemm(
            gradient, weight, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
    }

    public func linearWeightGradient(_ gradient: Tensor, input: Tensor) throws -> Tensor {
        try gradient.backend.gemm(
            gradient, input, transposeA: true, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
    }
}
