import Foundation
import GlassboxCore

/// A layer with a factorised Gaussian posterior over its weights and biases,
/// q(w) = Π N(μ, σ²) with σ = softplus(ρ) (Blundell et al. 2015, "Weight
/// uncertainty in neural networks"), sampled with the local reparameterisation
/// trick (Kingma, Salimans & Welling 2015, "Variational dropout and the local
/// reparameterization trick").
///
/// A linear layer's output given the input is Gaussian under q: mean
/// γ = f(x; μ_w) + μ_b and variance δ = f(x²; σ_w²) + σ_b². A stochastic pass
/// draws y = γ + √δ·ε with ε ~ N(0, 1) from the node's random stream, one draw
/// per output element, so every example of a batch sees its own weight sample
/// at the cost of two linear maps — K weight samples of an input are K copies in
/// one batch. An inference pass returns γ, the mean weights' output.
///
/// Conforming layers supply the linear map f, its transpose and its weight
/// gradient; the parameters, passes and KL divergence are shared. As a
/// ``LinearLayer`` its weight and bias are the means μ_w and μ_b, which its
/// inference pass reads: LRP explains a Bayesian network's mean network.
public protocol BayesianLayer: LinearLayer {
    /// The prior the KL divergence is taken against.
    var prior: WeightPrior { get }
    /// The shape of the weight (and of its μ and ρ).
    var weightShape: Shape { get }
    /// The number of outputs per position (the bias length).
    var outputChannels: Int { get }
    /// f(x; w), without bias.
    func linear(_ x: Tensor, weight: Tensor) throws -> Tensor
    /// fᵀ: the gradient of ⟨g, f(x; w)⟩ with respect to x.
    func linearTransposed(_ gradient: Tensor, weight: Tensor, inputShape: Shape) throws -> Tensor
    /// The gradient of ⟨g, f(x; w)⟩ with respect to w.
    func linearWeightGradient(_ gradient: Tensor, input: Tensor) throws -> Tensor
}

extension BayesianLayer {
    /// μ_w, the weight of the mean network.
    public var weightParameter: String { "weightMean" }
    /// μ_b, the bias of the mean network.
    public var biasParameter: String? { "biasMean" }

    /// The initial ρ: softplus(−5) ≈ 0.0067, a nearly deterministic start.
    static var initialRho: Float { -5 }

    /// μ and ρ of the weight and of the bias.
    func bayesianParameterSpecs(fanIn: Int) -> [ParameterSpec] {
        [
            ParameterSpec(name: "weightMean", shape: weightShape, initialization: .heNormal(fanIn: fanIn)),
            ParameterSpec(name: "weightRho", shape: weightShape, initialization: .constant(Self.initialRho)),
            ParameterSpec(name: "biasMean", shape: [outputChannels], initialization: .constant(0)),
            ParameterSpec(name: "biasRho", shape: [outputChannels], initialization: .constant(Self.initialRho)),
        ]
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend, x = inputs[0], layer = Self.typeName
        let mean = try backend.addBias(
            try linear(x, weight: try parameters.required("weightMean", layer: layer)),
            try parameters.required("biasMean", layer: layer))
        guard context.mode == .stochastic else { return LayerOutput(mean) }
        let weightDeviation = try Self.softplus(try parameters.required("weightRho", layer: layer))
        let biasDeviation = try Self.softplus(try parameters.required("biasRho", layer: layer))
        let variance = try backend.addBias(
            try linear(try backend.unary(x, .square), weight: try backend.unary(weightDeviation, .square)),
            try backend.unary(biasDeviation, .square))
        let deviation = try backend.unary(variance, .sqrt)
        let noise = try backend.randomNormal(mean.shape, mean: 0, standardDeviation: 1, stream: context.randomStream)
        return LayerOutput(
            try backend.binary(mean, try backend.binary(deviation, noise, .multiply), .add),
            saved: [noise, deviation, weightDeviation, biasDeviation])
    }

    /// With y = γ + √δ·ε: ∂/∂γ = g and ∂/∂δ = h = g·ε/(2√δ), so dx = fᵀ(g; μ_w) + 2x·fᵀ(h; σ_w²),
    /// dμ_w = ∇_w⟨g, f(x)⟩, dσ_w² = ∇_w⟨h, f(x²)⟩, dρ = dσ²·2σ·sigmoid(ρ); the biases sum g and h.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, x = step.inputs[0], g = step.gradient
        let sumAxes = [0] + Array(2..<g.shape.rank)
        var inputGradient = try linearTransposed(g, weight: try step.parameter("weightMean"), inputShape: x.shape)
        var parameters = [String: Tensor]()
        if step.wantsParameterGradients {
            parameters["weightMean"] = try linearWeightGradient(g, input: x)
            parameters["biasMean"] = try backend.reduce(g, axes: sumAxes, .sum, keepDimensions: false)
        }
        if step.saved.count == 4 {
            // Saved by the stochastic pass: ε, √δ, σ_w and σ_b.
            let h = try backend.affine(
                try backend.binary(try backend.binary(g, step.saved[0], .multiply), step.saved[1], .divide),
                scale: 0.5, shift: 0)
            let weightDeviation = step.saved[2]
            let weightVariance = try backend.unary(weightDeviation, .square)
            let spread = try linearTransposed(h, weight: weightVariance, inputShape: x.shape)
            inputGradient = try backend.axpy(alpha: 2, try backend.binary(x, spread, .multiply), inputGradient)
            if step.wantsParameterGradients {
                let varianceGradient = try linearWeightGradient(h, input: try backend.unary(x, .square))
                parameters["weightRho"] = try Self.rhoGradient(
                    varianceGradient, rho: try step.parameter("weightRho"),
                    deviation: weightDeviation)
                parameters["biasRho"] = try Self.rhoGradient(
                    try backend.reduce(h, axes: sumAxes, .sum, keepDimensions: false),
                    rho: try step.parameter("biasRho"), deviation: step.saved[3])
            }
        }
        return LayerGradients(inputs: [inputGradient], parameters: parameters)
    }

    /// softplus(ρ) = log(1 + exp ρ), on the device.
    static func softplus(_ rho: Tensor) throws -> Tensor {
        let backend = rho.backend
        return try backend.unary(try backend.affine(try backend.unary(rho, .exp), scale: 1, shift: 1), .log)
    }

    /// dρ from dσ²: dσ²·2σ·sigmoid(ρ).
    static func rhoGradient(_ varianceGradient: Tensor, rho: Tensor, deviation: Tensor) throws -> Tensor {
        let backend = rho.backend
        let chain = try backend.binary(
            try backend.affine(deviation, scale: 2, shift: 0), try backend.activation(rho, .sigmoid), .multiply)
        return try backend.binary(varianceGradient, chain, .multiply)
    }

    /// KL(q ‖ prior) of this layer's weights and biases, and its gradients with
    /// respect to μ and ρ by parameter name (see ``WeightPrior/divergence(means:deviations:stream:)``;
    /// computed on the host in double precision, the weights and biases drawing
    /// substreams 0 and 1 of `stream` for the scale mixture's sample).
    public func klDivergence(parameters: [String: Tensor], stream: RandomStream) throws -> (
        value: Double, gradients: [String: Tensor]
    ) {
        var total = 0.0, gradients = [String: Tensor]()
        for (index, part) in ["weight", "bias"].enumerated() {
            let meanTensor = try parameters.required("\(part)Mean", layer: Self.typeName)
            let rho = try parameters.required("\(part)Rho", layer: Self.typeName).toArray().map(Double.init)
            let deviations = rho.map { Float(Self.softplus($0)) }
            let kl = prior.divergence(
                means: try meanTensor.toArray(), deviations: deviations,
                stream: stream.substream(stream.stream &+ UInt32(index)))
            total += kl.value
            let backend = meanTensor.backend
            gradients["\(part)Mean"] = try backend.upload(kl.meanGradient, shape: meanTensor.shape)
            gradients["\(part)Rho"] = try backend.upload(
                zip(kl.deviationGradient, rho).map { Float(Double($0) / (1 + exp(-$1))) },
                shape: meanTensor.shape)
        }
        return (total, gradients)
    }

    /// softplus in double precision, stable for large ρ.
    static func softplus(_ rho: Double) -> Double { rho > 20 ? rho : log1p(exp(rho)) }
}
