import Foundation
import GlassboxCore

/// The lines of a plain text file, one text per line (`glassbox explain --text-file`): CR, LF
/// and CRLF line ends, a UTF-8 byte-order mark skipped.
public struct TextLines: Sendable {
    /// Every line, in order, without its line end.
    public let lines: [String]

    /// Reads the file at `url`.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file when it cannot be read,
    ///   or naming the line whose bytes are not valid in `encoding`.
    public init(contentsOf url: URL, encoding: TextEncoding = .utf8) throws {
        let (data, path) = try UserFile.contents(of: url)
        let text = try TextFile.text(of: data, path: path, encoding: encoding)
        lines = TextFile.lines(of: text).map { String(decoding: $0.bytes, as: UTF8.self) }
    }
}
