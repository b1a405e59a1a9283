import Foundation
import GlassboxCore

/// JSON Lines: one JSON object per line; blank lines are skipped.
enum JSONLines {
    /// A JSON value, as far as a table reader needs to tell values apart.
    enum Value: Decodable {
        /// A string.
        case string(String)
        /// A number without a fraction that fits an `Int`.
        case integer(Int)
        /// Any other number.
        case number(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// `null`.
        case null
        /// An array or an object.
        case composite

        /// Decodes whichever kind of value is there (the document is parsed before this runs, so
        /// what is neither null, a boolean, a number nor a string is an array or an object).
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .boolean(value)
            } else if let value = try? container.decode(Int.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else {
                self = .composite
            }
        }

        /// The value's kind in words, for messages.
        var kindName: String {
            switch self {
            case .string: "a string"
            case .integer, .number: "a number"
            case .boolean: "a boolean"
            case .null: "null"
            case .composite: "an array or object"
            }
        }
    }

    /// One object and the line it stands on.
    struct Object {
        /// The object's members.
        var members: [String: Value]
        /// The number of its line, from 1.
        var line: Int
    }

    /// The objects of the non-blank lines of `text`.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the first line that is not
    ///   valid JSON or not an object, or saying the file is empty.
    static func objects(in text: String, path: String) throws -> [Object] {
        let decoder = JSONDecoder()
        var objects: [Object] = []
        for line in TextFile.lines(of: text) {
            guard line.bytes.contains(where: { ![0x20, 0x09].contains($0) }) else { continue }
            do {
                let members = try decoder.decode([String: Value].self, from: Data(line.bytes))
                objects.append(Object(members: members, line: line.number))
            } catch DecodingError.typeMismatch {
                throw GlassboxError.invalidFile(path: path, reason: "line \(line.number): not a JSON object")
            } catch {
                throw GlassboxError.invalidFile(path: path, reason: "line \(line.number): invalid JSON")
            }
        }
        guard !objects.isEmpty else {
            throw GlassboxError.invalidFile(path: path, reason: "the file is empty")
        }
        return objects
    }
}
