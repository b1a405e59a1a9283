/// How well one explanation conserved relevance: LRP's input relevance should
/// sum to the score it explains (Bach et al. 2015), up to what biases and
/// stabilisers absorb.
public struct RelevanceConservation: Sendable, Hashable, Codable {
    /// The sum of the relevance at the input.
    public var relevanceSum: Float
    /// The explained output: the model's score for the target class.
    public var score: Float

    public init(relevanceSum: Float, score: Float) {
        self.relevanceSum = relevanceSum
        self.score = score
    }

    /// relevanceSum − score.
    public var error: Float { relevanceSum - score }
}

extension RelevanceConservation {
    private enum CodingKeys: String, CodingKey { case relevanceSum, score, error }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            relevanceSum: try container.decode(Float.self, forKey: .relevanceSum),
            score: try container.decode(Float.self, forKey: .score))
    }

    /// Writes the error beside the sum and the score, so a JSON summary shows it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(relevanceSum, forKey: .relevanceSum)
        try container.encode(score, forKey: .score)
        try container.encode(error, forKey: .error)
    }
}
