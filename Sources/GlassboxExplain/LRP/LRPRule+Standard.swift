import GlassboxCore

extension LRPRule {
    /// The default stabiliser of every rule but ε, as in Zennit.
    public static let defaultStabilizer: Float = 1e-6

    /// LRP-ε (Bach et al. 2015): R_i = Σ_j x_i w_ij / (z_j + ε·sign(z_j)) · R_j,
    /// with the bias in z_j and sign(0) = +1. A larger ε absorbs weak, contradictory
    /// contributions; it suits the middle and upper layers (Montavon et al. 2019).
    public static func epsilon(_ epsilon: Float = 1e-6) -> LRPRule {
        LRPRule(
            name: "epsilon", details: "ε \(epsilon)",
            groups: [
                RelevanceGroup(
                    [RelevanceTerm(input: .identity, weight: .identity, bias: .identity)],
                    stabilizer: epsilon)
            ])
    }

    /// LRP-0 (Bach et al. 2015): the ε rule with ε = 0; an output whose z is exactly
    /// zero passes no relevance.
    public static let zero = LRPRule(name: "zero", groups: epsilon(0).groups)

    /// The generalised γ rule (Montavon et al. 2019, §10.2.3; Andéol et al. 2021):
    /// where the output is positive, relevance flows through x⁺(w + γw⁺) and
    /// x⁻(w + γw⁻) (with b + γb⁺); where it is negative, through x⁺(w + γw⁻) and
    /// x⁻(w + γw⁺) (with b + γb⁻). For non-negative inputs it is the original γ rule.
    public static func gamma(_ gamma: Float = 0.25, stabilizer: Float = defaultStabilizer) -> LRPRule {
        LRPRule(
            name: "gamma", details: "γ \(gamma)",
            groups: [
                RelevanceGroup(
                    [
                        RelevanceTerm(input: .positivePart, weight: .gammaPositive(gamma), bias: .gammaPositive(gamma)),
                        RelevanceTerm(input: .negativePart, weight: .gammaNegative(gamma), bias: .zero),
                    ],
                    stabilizer: stabilizer, outputSign: .positive),
                RelevanceGroup(
                    [
                        RelevanceTerm(input: .positivePart, weight: .gammaNegative(gamma), bias: .gammaNegative(gamma)),
                        RelevanceTerm(input: .negativePart, weight: .gammaPositive(gamma), bias: .zero),
                    ],
                    stabilizer: stabilizer, outputSign: .negative),
            ])
    }

    /// LRP-αβ (Bach et al. 2015): α times the relevance of the positive
    /// contributions (x⁺w⁺ + x⁻w⁻, with b⁺) minus β times that of the negative ones
    /// (x⁺w⁻ + x⁻w⁺, with b⁻), each normalised by its own sum. Needs α, β ≥ 0 and
    /// α − β = 1, which keeps the rule conservative; α = 2, β = 1 is common in lower layers.
    public static func alphaBeta(alpha: Float = 2, beta: Float = 1, stabilizer: Float = defaultStabilizer) throws
        -> LRPRule
    {
        guard alpha >= 0, beta >= 0, abs(alpha - beta - 1) < 1e-6 else {
            throw GlassboxError.invalidArgument(
                "the alpha-beta rule needs alpha, beta ≥ 0 and alpha − beta = 1, got alpha \(alpha) and beta \(beta)")
        }
        return LRPRule(
            name: "alpha-beta", details: "α \(alpha), β \(beta)",
            groups: signedContributionGroups(alpha: alpha, beta: beta, stabilizer: stabilizer))
    }

    /// The z⁺ rule (Montavon et al. 2017, "Explaining nonlinear classification
    /// decisions with deep Taylor decomposition"): α β with α = 1, β = 0, so only
    /// positive contributions carry relevance.
    public static func zPlus(stabilizer: Float = defaultStabilizer) -> LRPRule {
        LRPRule(name: "z-plus", groups: signedContributionGroups(alpha: 1, beta: 0, stabilizer: stabilizer))
    }

    /// The α β rule's groups: positive contributions weighted α, negative ones −β (left out when β = 0).
    private static func signedContributionGroups(alpha: Float, beta: Float, stabilizer: Float) -> [RelevanceGroup] {
        let positive = RelevanceGroup(
            [
                RelevanceTerm(input: .positivePart, weight: .positivePart, bias: .positivePart),
                RelevanceTerm(input: .negativePart, weight: .negativePart, bias: .zero),
            ],
            coefficient: alpha, stabilizer: stabilizer)
        let negative = RelevanceGroup(
            [
                RelevanceTerm(input: .positivePart, weight: .negativePart, bias: .negativePart),
                RelevanceTerm(input: .negativePart, weight: .positivePart, bias: .zero),
            ],
            coefficient: -beta, stabilizer: stabilizer)
        return beta == 0 ? [positive] : [positive, negative]
    }

    /// The flat rule (Lapuschkin et al. 2019, "Unmasking Clever Hans predictors"):
    /// relevance spreads uniformly over each output's receptive field, whatever
    /// the input and weights (inputs and weights taken as ones, no bias).
    public static func flat(stabilizer: Float = defaultStabilizer) -> LRPRule {
        LRPRule(
            name: "flat",
            groups: [RelevanceGroup([RelevanceTerm(input: .ones, weight: .ones, bias: .zero)], stabilizer: stabilizer)])
    }

    /// The w² rule (Montavon et al. 2017): R_i = Σ_j w_ij² / Σ_i w_ij² · R_j, for
    /// unbounded inputs in the first layer. As in Zennit, the squared bias joins the
    /// denominator.
    public static func wSquare(stabilizer: Float = defaultStabilizer) -> LRPRule {
        LRPRule(
            name: "w-square",
            groups: [
                RelevanceGroup([RelevanceTerm(input: .ones, weight: .square, bias: .square)], stabilizer: stabilizer)
            ])
    }

    /// The z^B rule (Montavon et al. 2017) for inputs bounded by `low` ≤ x ≤ `high`
    /// (one value, or one per channel: for normalised images, (0 − mean)/std and
    /// (1 − mean)/std): z_ij = x_i w_ij − l_i w⁺_ij − h_i w⁻_ij. As in Zennit, the
    /// three terms carry b, b⁺ and b⁻, which cancel: the denominator is Σ_i z_ij.
    public static func zBox(low: [Float], high: [Float], stabilizer: Float = defaultStabilizer) throws -> LRPRule {
        guard !low.isEmpty, low.count == high.count, zip(low, high).allSatisfy({ $0 <= $1 }) else {
            throw GlassboxError.invalidArgument(
                "the z-box bounds need as many low as high values (one, or one per channel), each low ≤ high; got \(low) and \(high)"
            )
        }
        return LRPRule(
            name: "z-box", details: "low \(low), high \(high)",
            groups: [
                RelevanceGroup(
                    [
                        RelevanceTerm(input: .identity, weight: .identity, bias: .identity),
                        RelevanceTerm(input: .bound(low), weight: .positivePart, bias: .positivePart, sign: -1),
                        RelevanceTerm(input: .bound(high), weight: .negativePart, bias: .negativePart, sign: -1),
                    ], stabilizer: stabilizer)
            ])
    }

    /// The ε rule with the stabiliser only, for layers without parameters
    /// (addition, average pooling): each input receives relevance in proportion to
    /// its contribution to the output. Zennit calls it `Norm`.
    public static func norm(stabilizer: Float = defaultStabilizer) -> LRPRule {
        LRPRule(name: "norm", groups: epsilon(stabilizer).groups)
    }
}

extension Float {
    /// "2" for 2.0, "0.5" for 0.5: a parameter as a name shows it.
    var compactText: String {
        self == rounded() && abs(self) < 1e6 ? String(Int(self)) : "\(self)"
    }
}
