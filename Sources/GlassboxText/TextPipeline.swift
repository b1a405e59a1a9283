import GlassboxCore

/// Everything that turns a text into a model's input: a tokenizer, a vocabulary and a sequence
/// length.
///
/// ``encode(_:)`` tokenizes a text, looks its tokens up and pads or truncates the ids to
/// ``sequenceLength``. The ids are plain `Int`s; the model's input tensor is made from them
/// elsewhere. Position `i` of an encoding (below its ``EncodedText/tokenCount``) is token `i` of
/// ``tokens(in:)``, whose range locates the user's word in the text. A model file keeps its
/// pipeline in its metadata (``metadata()`` and ``init(metadata:)``), so a saved text model reads
/// text exactly as it was trained to.
public struct TextPipeline: Hashable, Sendable {
    /// The tokenizer.
    public let tokenizer: WordTokenizer
    /// The vocabulary the tokens are looked up in.
    public let vocabulary: Vocabulary
    /// The number of ids of every encoded text.
    public let sequenceLength: Int

    /// Creates a pipeline.
    ///
    /// - Parameters:
    ///   - tokenizer: The tokenizer.
    ///   - vocabulary: The vocabulary.
    ///   - sequenceLength: The number of ids of every encoded text, at least 1.
    /// - Throws: `GlassboxError.invalidArgument` for a `sequenceLength` below 1.
    public init(tokenizer: WordTokenizer = WordTokenizer(), vocabulary: Vocabulary, sequenceLength: Int) throws {
        guard sequenceLength >= 1 else {
            throw GlassboxError.invalidArgument("sequence length must be at least 1, got \(sequenceLength)")
        }
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.sequenceLength = sequenceLength
    }

    /// Creates a pipeline whose vocabulary is built from the tokens of training texts, as
    /// `Vocabulary(training:minimumCount:maximumSize:)` builds it.
    ///
    /// - Parameters:
    ///   - texts: The training texts.
    ///   - tokenizer: The tokenizer.
    ///   - minimumCount: The fewest occurrences a token needs to get an id, at least 1.
    ///   - maximumSize: The most ids in all (`<pad>` and `<unk>` included), at least 2; nil for no
    ///     limit.
    ///   - sequenceLength: The number of ids of every encoded text, at least 1.
    /// - Throws: `GlassboxError.invalidArgument` for an argument out of its range.
    public init(
        training texts: some Sequence<String>, tokenizer: WordTokenizer = WordTokenizer(), minimumCount: Int = 1,
        maximumSize: Int? = nil, sequenceLength: Int
    ) throws {
        let vocabulary = try Vocabulary(
            training: texts.lazy.map { tokenizer.tokens(in: $0).map(\.text) }, minimumCount: minimumCount,
            maximumSize: maximumSize)
        try self.init(tokenizer: tokenizer, vocabulary: vocabulary, sequenceLength: sequenceLength)
    }

    /// The tokens of `text`, as ``encode(_:)`` reads them.
    public func tokens(in text: String) -> [Token] {
        tokenizer.tokens(in: text)
    }

    /// The ids of `text`'s tokens, padded or truncated to ``sequenceLength``.
    ///
    /// - Throws: `GlassboxError.invalidArgument` if the text is empty or has no tokens (only white
    ///   space and control characters).
    public func encode(_ text: String) throws -> EncodedText {
        let tokens = tokenizer.tokens(in: text)
        guard !tokens.isEmpty else {
            throw GlassboxError.invalidArgument(
                text.isEmpty
                    ? "the text to encode is empty"
                    : "the text to encode has no tokens (only white space and control characters)")
        }
        return try vocabulary.encode(tokens.map(\.text), length: sequenceLength)
    }
}
