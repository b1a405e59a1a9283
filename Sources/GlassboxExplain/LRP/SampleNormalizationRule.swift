import GlassboxCore
import GlassboxNN

/// AttnLRP's rule for a layer normalisation (Achtibat et al. 2024, "AttnLRP:
/// Attention-Aware Layer-Wise Relevance Propagation for Transformers", Proposition
/// 3.4 with eqs. 8 and 9), as lxt's `layer_norm` computes it: the identity rule
/// through the division by the standard deviation σ, that is σ held constant, and
/// the ε rule on the affine map that remains, y = (x − mean(x))/σ · scale + bias:
///
///     R(x) = x ⊙ J₀ᵀ (R(y) / (y + ε·sign(y))),
///
/// with J₀ the Jacobian of that map at constant σ (the true Jacobian without the
/// terms that differentiate σ; `SampleNormalizationLayer.inputGradientAtConstantDeviation(_:)`).
/// Since J₀·x = y − bias, the relevance is conserved up to the share the bias
/// absorbs, as in the ε rule of a dense layer: Σ R(x) = Σ R(y)·(y − bias)/(y + ε·sign(y)).
/// The centring (x − mean(x)) is linear and takes the ε rule with everything else;
/// the scale multiplies one value each, which the ε rule passes unchanged.
///
/// lxt adds its ε = 1e-6 without the sign (y + ε); here the stabiliser is Zennit's
/// signed one, as in every Glassbox rule. Applied to `SampleNormalizationLayer`s
/// (`LayerNormalization`) by every ``LRPComposite``; other layers get their gradient.
public struct SampleNormalizationRule: BackwardRule {
    /// The ε of the denominator y + ε·sign(y).
    public var stabilizer: Float

    /// The rule with the stabiliser ε.
    public init(stabilizer: Float = LRPRule.defaultStabilizer) { self.stabilizer = stabilizer }

    /// x ⊙ J₀ᵀ(R / (y + ε·sign(y))).
    public func propagate(_ step: BackwardStep) throws -> LayerGradients {
        guard let layer = step.layer as? any SampleNormalizationLayer else { return try step.layer.backward(step) }
        let backend = step.backend
        var linearised = step
        linearised.gradient = try backend.stabilizedDivide(step.gradient, step.output, epsilon: stabilizer)
        let gradient = try layer.inputGradientAtConstantDeviation(linearised)
        return LayerGradients(inputs: [try backend.binary(step.inputs[0], gradient, .multiply)])
    }
}
