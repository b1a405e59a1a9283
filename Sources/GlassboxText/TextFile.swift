import Foundation
import GlassboxCore

/// Reading a text file a user named: its bytes, its characters and its lines, with errors that
/// name the file and the line.
///
/// A line ends at a line feed, a carriage return followed by a line feed, or a carriage return
/// alone; lines are numbered from 1. Every reader of the module counts lines this way, so the line
/// numbers of all its messages agree with an editor's.
enum TextFile {
    /// The ASCII line feed.
    static let lineFeed: UInt8 = 0x0A
    /// The ASCII carriage return.
    static let carriageReturn: UInt8 = 0x0D

    /// The text of `data` in `encoding`, without a leading UTF-8 byte-order mark.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The file's path, for messages.
    ///   - encoding: The file's encoding.
    ///   - hint: Words added to the message about bytes that are not UTF-8 (after a semicolon).
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the first line with bytes that
    ///   are not UTF-8.
    static func text(of data: Data, path: String, encoding: TextEncoding, hint: String? = nil) throws -> String {
        switch encoding {
        case .latin1:
            return String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
        case .utf8:
            return try UserFile.utf8Text(of: data, path: path, hint: hint)
        }
    }

    /// The lines of `text` with their numbers, without their line ends.
    ///
    /// A text that ends with a line end has no empty last line; an empty text has no lines.
    static func lines(of text: String) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        let bytes = Array(text.utf8)
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == lineFeed || byte == carriageReturn else {
                index += 1
                continue
            }
            lines.append((lines.count + 1, bytes[start..<index]))
            index += byte == carriageReturn && index + 1 < bytes.count && bytes[index + 1] == lineFeed ? 2 : 1
            start = index
        }
        if start < bytes.count {
            lines.append((lines.count + 1, bytes[start...]))
        }
        return lines
    }
}
