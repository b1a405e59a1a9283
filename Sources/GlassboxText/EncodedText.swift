/// A text as a model reads it: a fixed number of token ids, real tokens first, then padding.
///
/// Made by ``Vocabulary/encode(_:length:)`` and ``TextPipeline/encode(_:)``. Position `i` of
/// ``ids`` (for `i < tokenCount`) is token `i` of the text, so an attribution over positions maps
/// back to the text's tokens and through their ranges to the user's words.
public struct EncodedText: Hashable, Sendable, Codable {
    /// The token ids, exactly the sequence length: ``tokenCount`` real ids, then the padding id.
    public var ids: [Int]
    /// How many ids at the front of ``ids`` are real tokens; the rest are padding.
    public var tokenCount: Int
    /// How many tokens did not fit into the sequence length and were cut off at the end.
    public var droppedTokenCount: Int

    /// Whether the text had more tokens than the sequence length holds.
    public var isTruncated: Bool { droppedTokenCount > 0 }

    /// Creates an encoded text.
    ///
    /// - Parameters:
    ///   - ids: The token ids, real tokens first, then padding.
    ///   - tokenCount: How many ids at the front are real tokens.
    ///   - droppedTokenCount: How many tokens were cut off.
    public init(ids: [Int], tokenCount: Int, droppedTokenCount: Int) {
        self.ids = ids
        self.tokenCount = tokenCount
        self.droppedTokenCount = droppedTokenCount
    }
}
