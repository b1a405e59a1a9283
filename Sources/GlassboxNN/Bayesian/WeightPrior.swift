import Foundation
import GlassboxCore

/// The prior over each weight of a Bayesian layer (Blundell et al. 2015, "Weight
/// uncertainty in neural networks", §3.3).
public enum WeightPrior: Sendable, Hashable, Codable {
    /// N(0, σ²) for every weight; its KL divergence from the posterior has a closed form.
    case gaussian(standardDeviation: Float)
    /// π·N(0, σ₁²) + (1 − π)·N(0, σ₂²) with σ₁ > σ₂: a heavy tail and a spike at
    /// zero; its KL divergence is estimated by Monte Carlo.
    case scaleMixture(weight: Float, wide: Float, narrow: Float)

    /// The scale mixture of Blundell et al.'s experiments: π = ½, σ₁ = 1, σ₂ = e⁻⁶.
    public static let blundell = WeightPrior.scaleMixture(weight: 0.5, wide: 1, narrow: Float(exp(-6.0)))

    /// Throws unless the standard deviations are positive and finite and 0 < π < 1.
    public func validated() throws -> WeightPrior {
        let valid =
            switch self {
            case .gaussian(let sigma): sigma > 0 && sigma.isFinite
            case .scaleMixture(let pi, let wide, let narrow):
                pi > 0 && pi < 1 && wide > 0 && narrow > 0 && wide.isFinite && narrow.isFinite
            }
        guard valid else {
            throw GlassboxError.invalidArgument(
                "the weight prior \(self) needs positive, finite standard deviations and a mixture weight in (0, 1)")
        }
        return self
    }

    /// log p(w) and its derivative d log p / dw.
    func logDensity(_ w: Double) -> (value: Double, derivative: Double) {
        func normal(_ sigma: Double) -> (log: Double, derivative: Double) {
            (-0.5 * log(2 * .pi) - log(sigma) - w * w / (2 * sigma * sigma), -w / (sigma * sigma))
        }
        switch self {
        case .gaussian(let sigma):
            let density = normal(Double(sigma))
            return (density.log, density.derivative)
        case .scaleMixture(let pi, let wide, let narrow):
            let a = normal(Double(wide)), b = normal(Double(narrow))
            let la = log(Double(pi)) + a.log, lb = log(1 - Double(pi)) + b.log
            let top = max(la, lb), value = top + log(exp(la - top) + exp(lb - top))
            // The derivative is the components' derivatives weighted by their responsibilities.
            return (value, exp(la - value) * a.derivative + exp(lb - value) * b.derivative)
        }
    }

    /// KL(q ‖ p) for the factorised Gaussian posterior q = Π N(μᵢ, σᵢ²), and its
    /// gradients with respect to every μᵢ and σᵢ.
    ///
    /// For a Gaussian prior the closed form Σ log(σₚ/σᵢ) + (σᵢ² + μᵢ²)/(2σₚ²) − ½.
    /// For the scale mixture the one-sample estimate log q(w) − log p(w) at
    /// w = μ + σ·ε with ε drawn from `stream` (normal draw i for weight i), and
    /// its reparameterised gradients (the posterior's own terms cancel in ∂/∂μ):
    /// ∂/∂μ = −(log p)′(w), ∂/∂σ = −ε·(log p)′(w) − 1/σ.
    public func divergence(means: [Float], deviations: [Float], stream: RandomStream)
        -> (value: Double, meanGradient: [Float], deviationGradient: [Float])
    {
        var value = 0.0
        var meanGradient = [Float](repeating: 0, count: means.count), deviationGradient = meanGradient
        for index in means.indices {
            let mu = Double(means[index]), sigma = Double(deviations[index])
            switch self {
            case .gaussian(let prior):
                let p = Double(prior)
                value += log(p / sigma) + (sigma * sigma + mu * mu) / (2 * p * p) - 0.5
                meanGradient[index] = Float(mu / (p * p))
                deviationGradient[index] = Float(-1 / sigma + sigma / (p * p))
            case .scaleMixture:
                let epsilon = Double(Philox.normal(stream, index: UInt64(index)))
                let w = mu + sigma * epsilon
                let prior = logDensity(w)
                let logPosterior = -0.5 * log(2 * .pi) - log(sigma) - epsilon * epsilon / 2
                value += logPosterior - prior.value
                meanGradient[index] = Float(-prior.derivative)
                deviationGradient[index] = Float(-epsilon * prior.derivative - 1 / sigma)
            }
        }
        return (value, meanGradient, deviationGradient)
    }
}
