import Foundation
import GlassboxCore

/// A user's own texts, labelled or not, read from a CSV, TSV or JSON Lines file.
///
/// - **CSV** and **TSV** (`.csv`; `.tsv`, `.tab`): RFC 4180 with a comma or a tab as the
///   delimiter. The first record is the header naming the columns; fields in double quotes may
///   hold delimiters, line ends and doubled quotes; CRLF, LF and CR end records; empty lines are
///   skipped.
/// - **JSON Lines** (`.jsonl`, `.ndjson`): one JSON object per line, blank lines skipped. The
///   text is a string member; a label is a string or a number (a number becomes its decimal
///   form, so `3` and `"3"` are the same class).
///
/// The text and label of every row must be present and not empty. The classes are the ones given,
/// or else the distinct labels sorted (numerically when every label is an integer, so `"10"`
/// follows `"9"`), and each row's ``LabeledText/label`` is the index of its label in ``classes``.
///
/// Every problem is a `GlassboxError.invalidFile(path:reason:)` whose one-line reason names the
/// line where it applies: a missing column (listing the columns there are), an empty file, a row
/// with the wrong number of fields, a quoted field that is never closed, bytes that are not UTF-8,
/// a line that is not a JSON object, a label outside the given classes.
public struct LabeledTextTable: Sendable {
    /// The layout of a table file.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        /// Comma-separated values (RFC 4180).
        case csv
        /// Tab-separated values, with RFC 4180 quoting.
        case tsv
        /// JSON Lines: one JSON object per line.
        case jsonl

        /// The format a file extension stands for (`csv`; `tsv`, `tab`; `jsonl`, `ndjson`; in any
        /// letter case), or nil for another extension.
        ///
        /// - Parameter pathExtension: The extension, without the dot.
        public init?(pathExtension: String) {
            switch pathExtension.lowercased() {
            case "csv": self = .csv
            case "tsv", "tab": self = .tsv
            case "jsonl", "ndjson": self = .jsonl
            default: return nil
            }
        }
    }

    /// The class names; ``LabeledText/label`` indexes this list.
    public let classes: [String]
    /// The texts with their class indices (nil when the table was read without a label column),
    /// in file order.
    public let rows: [LabeledText]

    /// Reads the table file at `url`.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - format: The file's layout; nil chooses it by the file's extension.
    ///   - textColumn: The column (or JSON member) holding the text.
    ///   - labelColumn: The column holding the label, or nil to read unlabelled text.
    ///   - classes: The class names in label-index order; nil takes the sorted distinct labels.
    ///   - encoding: The file's character encoding.
    /// - Throws: `GlassboxError.invalidArgument` for a bad class list or the same column for text
    ///   and label, `GlassboxError.invalidFile(path:reason:)` if the extension names no format or
    ///   the file cannot be read or is malformed.
    public init(
        contentsOf url: URL, format: Format? = nil, textColumn: String = "text", labelColumn: String? = "label",
        classes: [String]? = nil, encoding: TextEncoding = .utf8
    ) throws {
        let path = url.path(percentEncoded: false)
        guard let format = format ?? Format(pathExtension: url.pathExtension) else {
            let known = Format.allCases.map(\.rawValue).joined(separator: ", ")
            throw GlassboxError.invalidFile(
                path: path, reason: "cannot tell the table format from the file name; name it (\(known))")
        }
        let (data, _) = try UserFile.contents(of: url)
        try self.init(
            data: data, path: path, format: format, textColumn: textColumn, labelColumn: labelColumn,
            classes: classes, encoding: encoding)
    }

    /// Reads a table from the bytes of a file.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The name of the file in messages.
    ///   - format: The file's layout.
    ///   - textColumn: The column (or JSON member) holding the text.
    ///   - labelColumn: The column holding the label, or nil to read unlabelled text.
    ///   - classes: The class names in label-index order; nil takes the sorted distinct labels.
    ///   - encoding: The file's character encoding.
    /// - Throws: `GlassboxError.invalidArgument` for a bad class list or the same column for text
    ///   and label, `GlassboxError.invalidFile(path:reason:)` naming `path` if the data is malformed.
    public init(
        data: Data, path: String, format: Format, textColumn: String = "text", labelColumn: String? = "label",
        classes: [String]? = nil, encoding: TextEncoding = .utf8
    ) throws {
        if let classes {
            guard !classes.isEmpty else {
                throw GlassboxError.invalidArgument("the class list is empty")
            }
            guard Set(classes).count == classes.count else {
                throw GlassboxError.invalidArgument("the class list names a class twice: \(classes)")
            }
        }
        guard textColumn != labelColumn else {
            throw GlassboxError.invalidArgument("the text and the label column are both \(textColumn.quotedForMessage)")
        }
        let text = try TextFile.text(
            of: data, path: path, encoding: encoding, hint: "read the file as latin-1 if that is its encoding")
        let entries: [Entry]
        switch format {
        case .csv, .tsv:
            let columns = [textColumn] + (labelColumn.map { [$0] } ?? [])
            let rows = try CSVRecords.rows(
                of: text, delimiter: format == .csv ? CSVRecords.comma : CSVRecords.tab, columns: columns, path: path)
            entries = rows.map {
                Entry(text: $0.values[0], label: labelColumn == nil ? nil : $0.values[1], line: $0.line)
            }
        case .jsonl:
            entries = try JSONLines.objects(in: text, path: path).map { object in
                try Self.entry(object, textColumn: textColumn, labelColumn: labelColumn, path: path)
            }
        }
        try self.init(entries: entries, labelled: labelColumn != nil, classes: classes, path: path)
    }

    /// One row as read: its text, its label's name and its line.
    struct Entry {
        /// The text.
        var text: String
        /// The label's name, nil for unlabelled text.
        var label: String?
        /// The number of the line the row starts on.
        var line: Int
    }

    /// The text and label of a JSON Lines object.
    private static func entry(
        _ object: JSONLines.Object, textColumn: String, labelColumn: String?, path: String
    ) throws -> Entry {
        func member(_ name: String) throws -> JSONLines.Value {
            guard let value = object.members[name] else {
                let names = object.members.keys.sorted().map(\.quotedForMessage).joined(separator: ", ")
                throw GlassboxError.invalidFile(
                    path: path,
                    reason: "line \(object.line): no member \(name.quotedForMessage); the members are \(names)")
            }
            return value
        }
        let textValue = try member(textColumn)
        guard case .string(let text) = textValue else {
            throw GlassboxError.invalidFile(
                path: path,
                reason: "line \(object.line): \(textColumn.quotedForMessage) is \(textValue.kindName), not a string")
        }
        guard let labelColumn else {
            return Entry(text: text, label: nil, line: object.line)
        }
        switch try member(labelColumn) {
        case .string(let label):
            return Entry(text: text, label: label, line: object.line)
        case .integer(let label):
            return Entry(text: text, label: String(label), line: object.line)
        case .number(let label):
            return Entry(text: text, label: String(label), line: object.line)
        case let other:
            throw GlassboxError.invalidFile(
                path: path,
                reason: "line \(object.line): \(labelColumn.quotedForMessage) is \(other.kindName), "
                    + "not a string or a number")
        }
    }

    /// The table of `entries`, checking that texts and labels are not empty and mapping labels to
    /// class indices.
    init(entries: [Entry], labelled: Bool, classes: [String]?, path: String) throws {
        for entry in entries {
            guard !entry.text.isEmpty else {
                throw GlassboxError.invalidFile(path: path, reason: "line \(entry.line): the text is empty")
            }
            guard entry.label != "" else {
                throw GlassboxError.invalidFile(path: path, reason: "line \(entry.line): the label is empty")
            }
        }
        let classes = classes ?? (labelled ? Self.sortedClasses(entries.compactMap(\.label)) : [])
        let indices = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        self.classes = classes
        self.rows = try entries.map { entry in
            guard let label = entry.label else {
                return LabeledText(text: entry.text, label: nil)
            }
            guard let index = indices[label] else {
                throw GlassboxError.invalidFile(
                    path: path,
                    reason: "line \(entry.line): label \(label.quotedForMessage) is not one of the classes "
                        + classes.map(\.quotedForMessage).joined(separator: ", "))
            }
            return LabeledText(text: entry.text, label: index)
        }
    }

    /// The distinct labels, sorted numerically when all are integers, else as strings.
    static func sortedClasses(_ labels: [String]) -> [String] {
        let distinct = Array(Set(labels))
        let numbers = distinct.compactMap { Int($0) }
        guard numbers.count == distinct.count else {
            return distinct.sorted()
        }
        return distinct.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
    }
}
