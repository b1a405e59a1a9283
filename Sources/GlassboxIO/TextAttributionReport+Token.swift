extension TextAttributionReport {
    /// One word of an explained text as the user wrote it, with the text that follows it up to
    /// the next word (usually whitespace, possibly empty between sub-word pieces).
    public struct Token: Sendable, Equatable {
        /// The word as shown in the report.
        public let text: String
        /// What follows the word before the next one, shown as written (spaces, line breaks).
        public let separator: String

        /// A word and the text that follows it.
        public init(_ text: String, separator: String = " ") {
            self.text = text
            self.separator = separator
        }

        /// The words of `text` split at whitespace, each with the whitespace after it, so that
        /// joining every word and separator gives `text` back without its leading whitespace.
        public static func words(of text: String) -> [Token] {
            var tokens: [Token] = []
            var index = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
            while index < text.endIndex {
                let wordEnd = text[index...].firstIndex(where: \.isWhitespace) ?? text.endIndex
                let separatorEnd = text[wordEnd...].firstIndex { !$0.isWhitespace } ?? text.endIndex
                tokens.append(Token(String(text[index..<wordEnd]), separator: String(text[wordEnd..<separatorEnd])))
                index = separatorEnd
            }
            return tokens
        }
    }
}
