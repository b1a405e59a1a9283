/// The character classes of ``WordTokenizer``, from each character's first Unicode scalar.
extension Character {
    /// The general category of the character's first scalar.
    private var category: Unicode.GeneralCategory? {
        unicodeScalars.first?.properties.generalCategory
    }

    /// White space, a control character or an invisible format character: separates tokens.
    var isTokenSeparator: Bool {
        isWhitespace || category == .control || category == .format
    }

    /// A letter, mark, digit or other number of any script, or `_`: the stuff of words.
    var isWordCharacter: Bool {
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            self == "_"
        }
    }

    /// A decimal digit of any script, alone (not the start of a keycap emoji).
    var isDecimalDigit: Bool {
        unicodeScalars.count == 1 && category == .decimalNumber
    }

    /// An apostrophe that may join the parts of a word: `'` or the typographic `’`.
    var isApostrophe: Bool {
        self == "'" || self == "\u{2019}"
    }

    /// A character that joins groups of digits into one number: `.`, `,` or `:`.
    var isNumberSeparator: Bool {
        self == "." || self == "," || self == ":"
    }

    /// Whether the character is the ASCII character `lowercaseByte` (a lowercase letter or a
    /// non-letter), or that letter in uppercase.
    func equalsIgnoringASCIICase(_ lowercaseByte: UInt8) -> Bool {
        guard let value = asciiValue else { return false }
        return value == lowercaseByte || (value >= 0x41 && value <= 0x5A && value + 0x20 == lowercaseByte)
    }
}
