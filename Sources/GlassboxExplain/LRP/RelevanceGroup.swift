/// Terms of an ``LRPRule`` that share one denominator: the relevance arriving at
/// an output is divided by the (stabilised) signed sum of the terms' outputs, and
/// each term hands its share back to the input it read.
///
/// The α β rule has two groups (positive and negative contributions, weighted α
/// and −β); the γ rule has two that apply only where the layer's output is
/// positive or negative; the other rules have one.
public struct RelevanceGroup: Sendable, Hashable {
    /// Where the group's relevance applies, by the sign of the layer's true output.
    public enum OutputSign: Sendable, Hashable {
        /// Outputs > 0.
        case positive
        /// Outputs < 0.
        case negative
    }

    public var terms: [RelevanceTerm]
    /// The weight of the group's relevance (α, −β, or 1).
    public var coefficient: Float
    /// The ε of the denominator z + ε·sign(z) (the ε rule's ε, or the stabiliser of the others).
    public var stabilizer: Float
    /// When set, the group's relevance is kept only where the true output has this sign.
    public var outputSign: OutputSign?

    public init(_ terms: [RelevanceTerm], coefficient: Float = 1, stabilizer: Float, outputSign: OutputSign? = nil) {
        self.terms = terms
        self.coefficient = coefficient
        self.stabilizer = stabilizer
        self.outputSign = outputSign
    }
}
