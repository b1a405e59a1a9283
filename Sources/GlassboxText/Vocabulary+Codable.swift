/// A vocabulary is stored as its tokens in id order and the names of its padding and unknown
/// tokens: `{"tokens": [...], "paddingToken": "<pad>", "unknownToken": "<unk>"}`.
extension Vocabulary: Codable {
    /// The keys of the stored form.
    private enum CodingKeys: String, CodingKey {
        case tokens, paddingToken, unknownToken
    }

    /// Decodes a vocabulary, checking it as ``init(tokens:paddingToken:unknownToken:)`` does.
    ///
    /// - Throws: `DecodingError.dataCorrupted` describing the problem of an invalid token list.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let tokens = try container.decode([String].self, forKey: .tokens)
        let paddingToken = try container.decode(String.self, forKey: .paddingToken)
        let unknownToken = try container.decode(String.self, forKey: .unknownToken)
        do {
            try self.init(checking: tokens, paddingToken: paddingToken, unknownToken: unknownToken)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .tokens, in: container, debugDescription: error.description(inFile: false))
        }
    }

    /// Encodes the tokens and the names of the special tokens.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(paddingToken, forKey: .paddingToken)
        try container.encode(unknownToken, forKey: .unknownToken)
    }
}
