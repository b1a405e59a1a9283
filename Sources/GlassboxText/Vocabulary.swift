import GlassboxCore

/// The tokens a model knows, each with an id: the row of the model's embedding table.
///
/// A vocabulary built from training text (``init(training:minimumCount:maximumSize:)``) has the
/// padding token `<pad>` at id 0, the unknown token `<unk>` at id 1, and then every token seen at
/// least `minimumCount` times, the most frequent first and tokens of equal count in string order.
/// A vocabulary read from elsewhere (``init(tokens:paddingToken:unknownToken:)``, or a
/// `vocab.txt` file through ``init(contentsOf:paddingToken:unknownToken:)``) keeps its order and
/// names its own padding and unknown tokens, such as BERT's `[PAD]` and `[UNK]`.
///
/// Tokens are compared as Swift strings, so two spellings of the same characters in different
/// Unicode normalisation forms are one token.
public struct Vocabulary: Hashable, Sendable {
    /// The padding token of a vocabulary built from training text: `<pad>`.
    public static let defaultPaddingToken = "<pad>"
    /// The unknown token of a vocabulary built from training text: `<unk>`.
    public static let defaultUnknownToken = "<unk>"

    /// Every token, in id order: `tokens[id]` is the token of `id`.
    public let tokens: [String]
    /// The token that fills a sequence after its last real token.
    public let paddingToken: String
    /// The token that stands for every token the vocabulary does not hold.
    public let unknownToken: String
    /// The id of ``paddingToken``.
    public let paddingID: Int
    /// The id of ``unknownToken``.
    public let unknownID: Int
    /// The id of every token.
    private let ids: [String: Int]

    /// The number of tokens, special tokens included: the number of rows of an embedding table.
    public var count: Int { tokens.count }

    /// Creates a vocabulary from its tokens in id order.
    ///
    /// - Parameters:
    ///   - tokens: The tokens; `tokens[id]` is the token of `id`.
    ///   - paddingToken: The token among them that pads sequences.
    ///   - unknownToken: The token among them that stands for unknown tokens.
    /// - Throws: `GlassboxError.invalidArgument` if the list is empty, a token is empty, holds a
    ///   line break or repeats an earlier one, or the padding or unknown token is missing or both
    ///   are the same token.
    public init(
        tokens: [String], paddingToken: String = defaultPaddingToken, unknownToken: String = defaultUnknownToken
    ) throws {
        do {
            try self.init(checking: tokens, paddingToken: paddingToken, unknownToken: unknownToken)
        } catch {
            throw GlassboxError.invalidArgument("vocabulary: \(error.description(inFile: false))")
        }
    }

    /// Builds a vocabulary from the tokens of training texts.
    ///
    /// Ids: `<pad>` 0, `<unk>` 1, then the tokens seen at least `minimumCount` times, by count
    /// (most frequent first) and then in string order, cut to `maximumSize` ids in all. Occurrences
    /// of `<pad>` and `<unk>` in the token lists are not counted.
    ///
    /// - Parameters:
    ///   - tokenLists: The token texts of each training text, for example
    ///     `texts.map { tokenizer.tokens(in: $0).map(\.text) }`.
    ///   - minimumCount: The fewest occurrences a token needs to get an id, at least 1.
    ///   - maximumSize: The most ids in all (the two special tokens included), at least 2; nil for
    ///     no limit.
    /// - Throws: `GlassboxError.invalidArgument` for a `minimumCount` below 1 or a `maximumSize`
    ///   below 2.
    public init(training tokenLists: some Sequence<[String]>, minimumCount: Int = 1, maximumSize: Int? = nil) throws {
        guard minimumCount >= 1 else {
            throw GlassboxError.invalidArgument("vocabulary: minimumCount must be at least 1, got \(minimumCount)")
        }
        if let maximumSize, maximumSize < 2 {
            throw GlassboxError.invalidArgument(
                "vocabulary: maximumSize must be at least 2 (for <pad> and <unk>), got \(maximumSize)")
        }
        let specials = [Self.defaultPaddingToken, Self.defaultUnknownToken]
        var counts: [String: Int] = [:]
        for tokens in tokenLists {
            for token in tokens where !specials.contains(token) {
                counts[token, default: 0] += 1
            }
        }
        var ordered = counts.filter { $0.value >= minimumCount }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        if let maximumSize, ordered.count > maximumSize - 2 {
            ordered.removeLast(ordered.count - (maximumSize - 2))
        }
        try self.init(tokens: specials + ordered.map(\.key))
    }

    /// Creates a vocabulary from `tokens`, reporting a problem by the index of the token at fault.
    init(checking tokens: [String], paddingToken: String, unknownToken: String) throws(TokenListProblem) {
        guard !tokens.isEmpty else { throw .empty }
        var ids: [String: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            guard !token.isEmpty else { throw .emptyToken(id) }
            guard !token.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { throw .lineBreak(id) }
            if let earlier = ids[token] { throw .duplicate(id, earlier: earlier, token: token) }
            ids[token] = id
        }
        guard let paddingID = ids[paddingToken] else { throw .missing("padding", paddingToken) }
        guard let unknownID = ids[unknownToken] else { throw .missing("unknown", unknownToken) }
        guard paddingID != unknownID else { throw .sameSpecialToken(paddingToken) }
        self.tokens = tokens
        self.paddingToken = paddingToken
        self.unknownToken = unknownToken
        self.paddingID = paddingID
        self.unknownID = unknownID
        self.ids = ids
    }

    /// The id of `token`, or nil if the vocabulary does not hold it (it encodes as ``unknownID``).
    public func id(of token: String) -> Int? {
        ids[token]
    }

    /// The token of `id`, or nil if `id` is outside `0..<count`.
    public func token(at id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    /// The ids of `tokens` in a sequence of exactly `length` ids.
    ///
    /// Tokens the vocabulary does not hold become ``unknownID``. A shorter list is padded with
    /// ``paddingID`` at the end; a longer one keeps its first `length` tokens.
    ///
    /// - Parameters:
    ///   - tokens: The token texts, in order.
    ///   - length: The sequence length, at least 1.
    /// - Throws: `GlassboxError.invalidArgument` for a `length` below 1.
    public func encode(_ tokens: [String], length: Int) throws -> EncodedText {
        guard length >= 1 else {
            throw GlassboxError.invalidArgument("sequence length must be at least 1, got \(length)")
        }
        let kept = tokens.prefix(length)
        var encoded = kept.map { ids[$0] ?? unknownID }
        encoded += repeatElement(paddingID, count: length - kept.count)
        return EncodedText(ids: encoded, tokenCount: kept.count, droppedTokenCount: tokens.count - kept.count)
    }

    /// Two vocabularies are equal when they hold the same tokens in the same order with the same
    /// padding and unknown tokens.
    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.tokens == rhs.tokens && lhs.paddingToken == rhs.paddingToken && lhs.unknownToken == rhs.unknownToken
    }

    /// Hashes the tokens and the names of the special tokens.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(tokens)
        hasher.combine(paddingToken)
        hasher.combine(unknownToken)
    }
}

/// What is wrong with a list of vocabulary tokens; token positions count from 0.
enum TokenListProblem: Error {
    /// There are no tokens.
    case empty
    /// The token at the position is empty.
    case emptyToken(Int)
    /// The token at the position holds a line feed or carriage return.
    case lineBreak(Int)
    /// The token at the position repeats the token at `earlier`.
    case duplicate(Int, earlier: Int, token: String)
    /// The special token of the role (padding, unknown) with the name is not among the tokens.
    case missing(String, String)
    /// The padding and unknown token are the same token.
    case sameSpecialToken(String)

    /// The problem in one line, naming a token by its line in a file (from 1) when `inFile`, else
    /// by its id (from 0).
    func description(inFile: Bool) -> String {
        func name(_ index: Int) -> String { inFile ? "line \(index + 1)" : "token \(index)" }
        switch self {
        case .empty:
            return "it has no tokens"
        case .emptyToken(let index):
            return "\(name(index)) is empty"
        case .lineBreak(let index):
            return "\(name(index)) holds a line break"
        case .duplicate(let index, let earlier, let token):
            return "\(name(index)) repeats \(token.quotedForMessage) of \(name(earlier))"
        case .missing(let role, let name):
            return
                "no \(role) token \(name.quotedForMessage) (name the one this vocabulary uses, such as [PAD] or [UNK])"
        case .sameSpecialToken(let name):
            return "\(name.quotedForMessage) cannot be both the padding and the unknown token"
        }
    }
}
