import Foundation

extension UserFile {
    /// The UTF-8 text of a file's bytes, without a leading byte-order mark.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The file's path, for messages.
    ///   - hint: Words added to the message about bytes that are not UTF-8 (after a semicolon).
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the first line with bytes that
    ///   are not UTF-8 (lines end at LF, CRLF or a lone CR and are numbered from 1).
    package static func utf8Text(of data: Data, path: String, hint: String? = nil) throws -> String {
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        var line = 1
        var previous: Unicode.Scalar?
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            if scalar == "\r" || (scalar == "\n" && previous != "\r") {
                line += 1
            }
            previous = scalar
        }
        let reason = "line \(line): bytes that are not valid UTF-8" + (hint.map { "; \($0)" } ?? "")
        throw GlassboxError.invalidFile(path: path, reason: reason)
    }
}
