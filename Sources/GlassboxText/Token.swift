/// One token of a text: its normalised form, what kind of span it is, and where it stands in the
/// original text.
///
/// ``WordTokenizer/tokens(in:)`` makes tokens. `text[token.range]` is the user's own spelling of
/// the token in the string it came from (the range is only meaningful for that string), so a
/// report can highlight the words an explanation points at even when ``text`` is `<url>` or
/// lowercased.
public struct Token: Hashable, Sendable {
    /// What kind of span a token is, that is which rule of the tokenizer made it.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A run of letters, digits, marks and underscores, with apostrophes between them.
        case word
        /// A number (``WordTokenizer/numberPlaceholder``), when the tokenizer normalises numbers.
        case number
        /// A web address (``WordTokenizer/urlPlaceholder``), when the tokenizer normalises URLs.
        case url
        /// A user mention such as `@name` (``WordTokenizer/userPlaceholder``), when the tokenizer
        /// normalises users.
        case user
        /// One character that is neither part of a word nor white space: punctuation, a symbol,
        /// an emoji.
        case symbol
    }

    /// The normalised token, as a vocabulary looks it up: lowercased (by default), a placeholder
    /// for URLs, users and numbers, `'` for a typographic apostrophe inside a word.
    public var text: String
    /// Which rule made the token.
    public var kind: Kind
    /// The characters of the original string the token stands for.
    public var range: Range<String.Index>

    /// Creates a token.
    ///
    /// - Parameters:
    ///   - text: The normalised token.
    ///   - kind: Which rule made it.
    ///   - range: The characters of the original string it stands for.
    public init(text: String, kind: Kind, range: Range<String.Index>) {
        self.text = text
        self.kind = kind
        self.range = range
    }
}
