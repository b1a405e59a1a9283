import GlassboxCore

extension LRPRule {
    /// AttnLRP's rule for a product of two computed values (Achtibat et al. 2024,
    /// "AttnLRP: Attention-Aware Layer-Wise Relevance Propagation for Transformers",
    /// Proposition 3.3 for matrix products, Proposition 3.2 for elementwise ones): the
    /// ε rule (the paper's eq. 8) on the sum over the inner index, each product a_ik·b_kj
    /// one contribution to c_ij, then the uniform rule (eq. 7), which gives each of the
    /// two operands half of it:
    ///
    ///     R(a_ik) = ½ Σ_j a_ik·b_kj / (c_ij + ε·sign(c_ij)) · R(c_ij),
    ///     R(b_kj) = ½ Σ_i a_ik·b_kj / (c_ij + ε·sign(c_ij)) · R(c_ij).
    ///
    /// An elementwise product has one contribution per output, so each operand gets
    /// ½·R (times ab/(ab + ε·sign), 1 but where ab is within ε of 0); over a
    /// broadcast operand the contributions it makes are summed. Both operands are
    /// treated alike, whichever is transposed. The relevance is conserved up to ε:
    /// Σ R(a) + Σ R(b) = Σ R(c)·c/(c + ε·sign(c)).
    ///
    /// As lxt's `matmul` (R/(2c + ε), ε = 1e-8 there) and `mul2` (R/2, no ε); the
    /// stabiliser here is Zennit's signed one, as in every Glassbox rule. Applied to
    /// `BilinearLayer`s by every ``LRPComposite``.
    public static func uniform(stabilizer: Float = defaultStabilizer) -> LRPRule {
        LRPRule(
            name: "uniform", details: "ε \(stabilizer)",
            groups: [
                RelevanceGroup(
                    [RelevanceTerm(input: .identity, weight: .identity, bias: .identity)], coefficient: 0.5,
                    stabilizer: stabilizer)
            ])
    }
}
