import GlassboxCore

/// The parsed header dictionary of a `.npy` file:
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// The parser accepts exactly the Python literal subset numpy writes: single- or double-quoted
/// strings without escapes, `True`/`False`, and tuples of non-negative integers (with an optional
/// trailing comma and, for files from Python 2, an optional `L` suffix). It never traps: every
/// index is bounds-checked and integers are parsed with overflow checks.
struct NumpyHeader: Equatable, Sendable {
    /// The dtype string, for example `<f4`.
    var descr: String
    /// Whether the data is stored in Fortran (column-major) order.
    var fortranOrder: Bool
    /// The dimensions, outermost first; every entry is non-negative.
    var dimensions: [Int]

    /// Parses the header text `bytes` of file `path`.
    ///
    /// - Parameter utf8: Whether strings are UTF-8 (format 3.0) rather than Latin-1 (1.0 and 2.0).
    init(bytes: [UInt8], utf8: Bool, path: String) throws(GlassboxError) {
        var parser = Parser(bytes: bytes, utf8: utf8, path: path)
        var descr: String?
        var fortranOrder: Bool?
        var dimensions: [Int]?

        parser.skipWhitespace()
        try parser.expect(UInt8(ascii: "{"))
        while true {
            parser.skipWhitespace()
            if parser.consume(UInt8(ascii: "}")) { break }
            let key = try parser.string()
            parser.skipWhitespace()
            try parser.expect(UInt8(ascii: ":"))
            parser.skipWhitespace()
            switch key {
            case "descr":
                guard descr == nil else { throw parser.malformed("duplicate key 'descr'") }
                if parser.peek == UInt8(ascii: "[") {
                    throw GlassboxError.invalidFile(
                        path: path, reason: "unsupported dtype (structured arrays are not supported)")
                }
                descr = try parser.string()
            case "fortran_order":
                guard fortranOrder == nil else { throw parser.malformed("duplicate key 'fortran_order'") }
                fortranOrder = try parser.boolean()
            case "shape":
                guard dimensions == nil else { throw parser.malformed("duplicate key 'shape'") }
                dimensions = try parser.integerTuple()
            default:
                throw parser.malformed("unexpected key '\(key)'")
            }
            parser.skipWhitespace()
            if parser.consume(UInt8(ascii: ",")) { continue }
            try parser.expect(UInt8(ascii: "}"))
            break
        }
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.malformed("unexpected text after the closing '}'") }
        guard let descr else { throw parser.malformed("missing key 'descr'") }
        guard let fortranOrder else { throw parser.malformed("missing key 'fortran_order'") }
        guard let dimensions else { throw parser.malformed("missing key 'shape'") }
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.dimensions = dimensions
    }

    /// A cursor over the header bytes.
    private struct Parser {
        let bytes: [UInt8]
        let utf8: Bool
        let path: String
        var position = 0

        init(bytes: [UInt8], utf8: Bool, path: String) {
            self.bytes = bytes
            self.utf8 = utf8
            self.path = path
        }

        var atEnd: Bool { position >= bytes.count }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func malformed(_ problem: String) -> GlassboxError {
            .invalidFile(path: path, reason: "malformed .npy header: \(problem)")
        }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                position += 1
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            position += 1
            return true
        }

        mutating func expect(_ byte: UInt8) throws(GlassboxError) {
            guard consume(byte) else {
                let found = peek.map { describe($0) } ?? "the end of the header"
                throw malformed("expected '\(Character(Unicode.Scalar(byte)))' at byte \(position), found \(found)")
            }
        }

        func describe(_ byte: UInt8) -> String {
            (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }

        /// A quoted string without escape sequences.
        mutating func string() throws(GlassboxError) -> String {
            guard let quote = peek, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
                throw malformed("expected a quoted string at byte \(position)")
            }
            position += 1
            let start = position
            while let byte = peek, byte != quote, byte != 0x0A {
                guard byte != UInt8(ascii: "\\") else {
                    throw malformed("escape sequences in strings are not supported (byte \(position))")
                }
                position += 1
            }
            guard peek == quote else { throw malformed("unterminated string") }
            let content = bytes[start..<position]
            position += 1
            if utf8 {
                return String(decoding: content, as: UTF8.self)
            }
            return String(String.UnicodeScalarView(content.map { Unicode.Scalar($0) }))
        }

        /// `True` or `False`.
        mutating func boolean() throws(GlassboxError) -> Bool {
            if consumeWord("True") { return true }
            if consumeWord("False") { return false }
            throw malformed("expected True or False at byte \(position)")
        }

        mutating func consumeWord(_ word: String) -> Bool {
            let wordBytes = Array(word.utf8)
            guard bytes.count - position >= wordBytes.count,
                bytes[position..<(position + wordBytes.count)].elementsEqual(wordBytes)
            else { return false }
            position += wordBytes.count
            return true
        }

        /// A parenthesised tuple of non-negative integers: `()`, `(3,)`, `(2, 3)`.
        mutating func integerTuple() throws(GlassboxError) -> [Int] {
            try expect(UInt8(ascii: "("))
            var values: [Int] = []
            while true {
                skipWhitespace()
                if consume(UInt8(ascii: ")")) { return values }
                values.append(try integer())
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                try expect(UInt8(ascii: ")"))
                return values
            }
        }

        /// A decimal integer, rejecting negative values and values that overflow `Int`.
        mutating func integer() throws(GlassboxError) -> Int {
            if peek == UInt8(ascii: "-") {
                throw GlassboxError.invalidFile(path: path, reason: "negative dimension in shape")
            }
            let start = position
            var value = 0
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else {
                    throw GlassboxError.invalidFile(path: path, reason: "shape dimension too large")
                }
                value = sum
                position += 1
            }
            guard position > start else { throw malformed("expected an integer at byte \(position)") }
            _ = consume(UInt8(ascii: "L"))
            return value
        }
    }
}
