/// A deterministic word tokenizer for short, informal text such as tweets.
///
/// The text is read one `Character` (extended grapheme cluster) at a time, so an accented letter
/// or an emoji with its modifiers is one character. White space, control characters (such as the
/// C1 controls of text decoded with the wrong encoding) and invisible format characters separate
/// tokens and are dropped. At each token start the first rule that applies makes one ``Token``:
///
/// 1. **URL** (``normalizeURLs``): `http://`, `https://` or `www.` (in any letter case), not
///    directly after a word character, up to the next separator, less trailing punctuation
///    (`. , ; : ! ? ' " ’ ” » ) ] } > …`) → ``urlPlaceholder``.
/// 2. **User** (``normalizeUsers``): `@` followed by word characters, not directly after a word
///    character (so an e-mail address is no mention) → ``userPlaceholder``.
/// 3. **Number** (``normalizeNumbers``): decimal digits, with groups of digits joined by `.`, `,`
///    or `:` (`3.14`, `1,000`, `10:30`), not continued by a word character (`2nd` is a word)
///    → ``numberPlaceholder``.
/// 4. **Word**: word characters (letters, marks, digits of any script, `_`) with apostrophes
///    (`'` or `’`) between them, so "don't" and "it's" stay one token; a typographic `’` inside
///    a word becomes `'`.
/// 5. **Symbol**: any other character is a token of its own: each punctuation mark (`#`, `!`,
///    the `:` and `)` of `:)`), each symbol and each emoji.
///
/// With ``lowercase`` every token but the placeholders is lowercased. A rule that is switched
/// off recognises nothing: its text is tokenized by the rules that remain (`@name` becomes `@` and
/// `name`). `scripts/tweets_baseline.py` implements the same rules in Python for the baseline.
public struct WordTokenizer: Codable, Hashable, Sendable {
    /// The token that stands for every URL when ``normalizeURLs`` is on.
    public static let urlPlaceholder = "<url>"
    /// The token that stands for every user mention when ``normalizeUsers`` is on.
    public static let userPlaceholder = "<user>"
    /// The token that stands for every number when ``normalizeNumbers`` is on.
    public static let numberPlaceholder = "<number>"

    /// Whether tokens are lowercased (placeholders are lowercase already).
    public var lowercase: Bool
    /// Whether URLs become ``urlPlaceholder``.
    public var normalizeURLs: Bool
    /// Whether user mentions (`@name`) become ``userPlaceholder``.
    public var normalizeUsers: Bool
    /// Whether numbers become ``numberPlaceholder``.
    public var normalizeNumbers: Bool

    /// Creates a tokenizer; the defaults suit tweets.
    ///
    /// - Parameters:
    ///   - lowercase: Whether tokens are lowercased.
    ///   - normalizeURLs: Whether URLs become ``urlPlaceholder``.
    ///   - normalizeUsers: Whether user mentions become ``userPlaceholder``.
    ///   - normalizeNumbers: Whether numbers become ``numberPlaceholder``.
    public init(
        lowercase: Bool = true, normalizeURLs: Bool = true, normalizeUsers: Bool = true, normalizeNumbers: Bool = true
    ) {
        self.lowercase = lowercase
        self.normalizeURLs = normalizeURLs
        self.normalizeUsers = normalizeUsers
        self.normalizeNumbers = normalizeNumbers
    }

    /// The tokens of `text`, in order; `text[token.range]` is each token's original spelling.
    ///
    /// An empty list means the text is empty or holds only white space and control characters.
    public func tokens(in text: String) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        var followsWordCharacter = false
        while index < text.endIndex {
            if text[index].isTokenSeparator {
                followsWordCharacter = false
                index = text.index(after: index)
                continue
            }
            let token = nextToken(in: text, at: index, followsWordCharacter: followsWordCharacter)
            tokens.append(token)
            index = token.range.upperBound
            followsWordCharacter = text[text.index(before: index)].isWordCharacter
        }
        return tokens
    }

    /// The token that starts at `start`, a character that is no separator.
    private func nextToken(in text: String, at start: String.Index, followsWordCharacter: Bool) -> Token {
        if normalizeURLs, !followsWordCharacter, let end = Self.urlEnd(in: text, from: start) {
            return Token(text: Self.urlPlaceholder, kind: .url, range: start..<end)
        }
        if normalizeUsers, !followsWordCharacter, text[start] == "@", let end = Self.userEnd(in: text, from: start) {
            return Token(text: Self.userPlaceholder, kind: .user, range: start..<end)
        }
        let end: String.Index
        if text[start].isWordCharacter {
            if normalizeNumbers, let numberEnd = Self.numberEnd(in: text, from: start) {
                return Token(text: Self.numberPlaceholder, kind: .number, range: start..<numberEnd)
            }
            end = Self.wordEnd(in: text, from: start)
            let spelling = String(text[start..<end].map { $0 == "\u{2019}" ? "'" : $0 })
            return Token(text: lowercase ? spelling.lowercased() : spelling, kind: .word, range: start..<end)
        }
        end = text.index(after: start)
        let spelling = String(text[start..<end])
        return Token(text: lowercase ? spelling.lowercased() : spelling, kind: .symbol, range: start..<end)
    }

    /// The prefixes that start a URL, lowercase ASCII.
    private static let urlPrefixes: [[UInt8]] = ["https://", "http://", "www."].map { Array($0.utf8) }

    /// The characters trimmed from the end of a URL.
    private static let urlTrailingPunctuation: Set<Character> = [
        ".", ",", ";", ":", "!", "?", "'", "\"", "\u{2019}", "\u{201D}", "\u{BB}", ")", "]", "}", ">", "\u{2026}",
    ]

    /// The end of the URL starting at `start`, or nil if none starts there.
    private static func urlEnd(in text: String, from start: String.Index) -> String.Index? {
        for prefix in urlPrefixes {
            var index = start
            var matches = true
            for byte in prefix {
                guard index < text.endIndex, text[index].equalsIgnoringASCIICase(byte) else {
                    matches = false
                    break
                }
                index = text.index(after: index)
            }
            guard matches else { continue }
            let prefixEnd = index
            while index < text.endIndex, !text[index].isTokenSeparator {
                index = text.index(after: index)
            }
            while index > prefixEnd, urlTrailingPunctuation.contains(text[text.index(before: index)]) {
                index = text.index(before: index)
            }
            return index > prefixEnd ? index : nil
        }
        return nil
    }

    /// The end of the user mention whose `@` is at `start`, or nil if no word character follows it.
    private static func userEnd(in text: String, from start: String.Index) -> String.Index? {
        let nameStart = text.index(after: start)
        var index = nameStart
        while index < text.endIndex, text[index].isWordCharacter {
            index = text.index(after: index)
        }
        return index > nameStart ? index : nil
    }

    /// The end of the word starting at `start` (a word character): word characters, and
    /// apostrophes with a word character after them.
    private static func wordEnd(in text: String, from start: String.Index) -> String.Index {
        var index = text.index(after: start)
        while index < text.endIndex {
            if text[index].isWordCharacter {
                index = text.index(after: index)
                continue
            }
            let next = text.index(after: index)
            guard text[index].isApostrophe, next < text.endIndex, text[next].isWordCharacter else { break }
            index = text.index(after: next)
        }
        return index
    }

    /// The end of the word starting at `start` if that word is all decimal digits, else nil.
    private static func digitsEnd(in text: String, from start: String.Index) -> String.Index? {
        let end = wordEnd(in: text, from: start)
        return text[start..<end].allSatisfy(\.isDecimalDigit) ? end : nil
    }

    /// The end of the number starting at `start`, or nil if no number starts there.
    private static func numberEnd(in text: String, from start: String.Index) -> String.Index? {
        guard var end = digitsEnd(in: text, from: start) else { return nil }
        while end < text.endIndex, text[end].isNumberSeparator {
            let groupStart = text.index(after: end)
            guard groupStart < text.endIndex, text[groupStart].isDecimalDigit,
                let groupEnd = digitsEnd(in: text, from: groupStart)
            else { break }
            end = groupEnd
        }
        return end
    }
}
