import GlassboxCore
import GlassboxNN

/// AttnLRP's rule for a softmax inside the network, such as the attention weights
/// (Achtibat et al. 2024, "AttnLRP: Attention-Aware Layer-Wise Relevance Propagation
/// for Transformers", Proposition 3.1): the first-order Taylor decomposition of the
/// softmax s = softmax(x) at x itself, with its bias term left out,
///
///     R(x_i) = x_i · (R(s_i) − s_i · Σ_j R(s_j)),
///
/// sums over the softmax's axis. It is the gradient times the input with the
/// arriving relevance divided by the output, x ⊙ Jᵀ(R/s), written without the
/// division, as lxt's `softmax` computes it. Inputs of −∞ (masked positions) count
/// as 0, as in lxt. The relevance is not conserved, the bias term being left out:
/// Σ_i R(x_i) = Σ_i (x_i − x̄)·R(s_i), with x̄ = Σ_j s_j·x_j the softmax-weighted mean
/// of the inputs (the rule is not invariant to the shift that leaves s unchanged).
///
/// Applies to `Softmax` layers; a log-softmax (and any other layer) gets its
/// gradient. The final softmax of a classifier is not explained at all: LRP starts
/// from the logits (see ``LayerwiseRelevancePropagation``).
public struct SoftmaxRule: BackwardRule {
    /// The rule; it has no parameters.
    public init() {}

    /// R(x) = x ⊙ (R − s ⊙ Σ_axis R), with −∞ inputs taken as 0.
    public func propagate(_ step: BackwardStep) throws -> LayerGradients {
        guard let softmax = step.layer as? Softmax, !softmax.logarithm else { return try step.layer.backward(step) }
        let backend = step.backend, x = step.inputs[0], relevance = step.gradient
        let rank = x.shape.rank
        let axis = softmax.axis < 0 ? softmax.axis + rank : softmax.axis
        let total = try backend.reduce(relevance, axes: [axis], .sum, keepDimensions: true)
        let share = try backend.binary(relevance, try backend.binary(step.output, total, .multiply), .subtract)
        // x with −∞ replaced by 0: max(x, −Float.max) is finite, and the mask [x ≠ −∞] zeroes it there.
        let scalar = Shape(Array(repeating: 1, count: rank))
        let floored = try backend.binary(x, try backend.filled(scalar, value: -.greatestFiniteMagnitude), .maximum)
        let masked = try backend.binary(x, try backend.filled(scalar, value: -.infinity), .equal)
        let finite = try backend.binary(floored, try backend.affine(masked, scale: -1, shift: 1), .multiply)
        return LayerGradients(inputs: [try backend.binary(finite, share, .multiply)])
    }
}
