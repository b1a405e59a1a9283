/// The character encoding of a text file.
public enum TextEncoding: String, Hashable, Sendable, CaseIterable {
    /// UTF-8, with or without a byte-order mark; bytes that are not UTF-8 are an error.
    case utf8
    /// ISO 8859-1: every byte is the Unicode character of the same number, so nothing is an error.
    case latin1
}
