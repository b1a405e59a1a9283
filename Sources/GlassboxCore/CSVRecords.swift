/// Comma- and tab-separated text as RFC 4180 defines it: records end at a line end (LF, CRLF or
/// CR), fields are separated by the delimiter, and a field in double quotes may hold delimiters,
/// line ends and quotes (written twice). A quote inside an unquoted field is taken literally, as
/// Python's `csv` module and pandas take it; empty lines between records are skipped.
///
/// The one CSV reader of the package: GlassboxText's text tables and GlassboxIO's numeric tables
/// both split their files here, so they accept the same files and report the same line numbers
/// (lines are numbered from 1, counting the line ends inside quoted fields, as an editor does).
package enum CSVRecords {
    /// One record: its fields and the line it starts on.
    package struct Record: Sendable, Equatable {
        /// The record's fields, unquoted.
        package var fields: [String]
        /// The number of the line the record starts on, from 1.
        package var line: Int
    }

    /// The values of some columns in one record.
    package struct Row: Sendable, Equatable {
        /// The values, one per requested column, in the order the columns were asked for.
        package var values: [String]
        /// The number of the line the record starts on, from 1.
        package var line: Int
    }

    /// The ASCII comma, the delimiter of CSV.
    package static let comma: UInt8 = 0x2C
    /// The ASCII tab, the delimiter of TSV.
    package static let tab: UInt8 = 0x09
    /// The ASCII double quote.
    static let quote: UInt8 = 0x22
    /// The ASCII line feed.
    static let lineFeed: UInt8 = 0x0A
    /// The ASCII carriage return.
    static let carriageReturn: UInt8 = 0x0D

    /// The records of `text`, the first one being the header if the text has one.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the line of a quoted field that
    ///   is never closed, or of a character after a closing quote.
    package static func records(in text: String, delimiter: UInt8, path: String) throws -> [Record] {
        let bytes = Array(text.utf8)
        var records: [Record] = []
        var fields: [String] = []
        var line = 1
        var recordLine = 1
        var index = 0
        while true {
            let quoted = index < bytes.count && bytes[index] == quote
            if quoted {
                let openingLine = line
                var field: [UInt8] = []
                index += 1
                while true {
                    guard index < bytes.count else {
                        throw GlassboxError.invalidFile(
                            path: path,
                            reason: "line \(openingLine): the quoted field that starts here is never closed")
                    }
                    let byte = bytes[index]
                    index += 1
                    if byte == quote {
                        guard index < bytes.count, bytes[index] == quote else { break }
                        index += 1
                    } else if byte == carriageReturn || (byte == lineFeed && bytes[index - 2] != carriageReturn) {
                        line += 1
                    }
                    field.append(byte)
                }
                if index < bytes.count, bytes[index] != delimiter, bytes[index] != carriageReturn,
                    bytes[index] != lineFeed
                {
                    throw GlassboxError.invalidFile(
                        path: path,
                        reason: "line \(line): text follows the closing quote of a field "
                            + "(a quote inside a quoted field is written twice)")
                }
                fields.append(String(decoding: field, as: UTF8.self))
            } else {
                let start = index
                while index < bytes.count, bytes[index] != delimiter, bytes[index] != carriageReturn,
                    bytes[index] != lineFeed
                {
                    index += 1
                }
                fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            if index < bytes.count, bytes[index] == delimiter {
                index += 1
                continue
            }
            if fields.count > 1 || quoted || !fields[0].isEmpty {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields = []
            guard index < bytes.count else { break }
            let crlf = bytes[index] == carriageReturn && index + 1 < bytes.count && bytes[index + 1] == lineFeed
            index += crlf ? 2 : 1
            line += 1
            recordLine = line
            guard index < bytes.count else { break }
        }
        return records
    }

    /// The header (the first record) and the further records of `text`, each checked to have as
    /// many fields as the header.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the text is empty, has no record
    ///   after the header, or has a record whose number of fields differs from the header's
    ///   (naming its line), besides the errors of ``records(in:delimiter:path:)``.
    package static func table(in text: String, delimiter: UInt8, path: String) throws -> (
        header: [String], rows: [Record]
    ) {
        let records = try records(in: text, delimiter: delimiter, path: path)
        guard let header = records.first else {
            throw GlassboxError.invalidFile(path: path, reason: "the file is empty")
        }
        guard records.count > 1 else {
            throw GlassboxError.invalidFile(path: path, reason: "the file has a header but no rows")
        }
        for record in records.dropFirst() where record.fields.count != header.fields.count {
            throw GlassboxError.invalidFile(
                path: path,
                reason: "line \(record.line): \(record.fields.count) fields, but the header has \(header.fields.count)")
        }
        return (header.fields, Array(records.dropFirst()))
    }

    /// The positions of `columns` in `header`, in the order the columns are asked for.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming every column the header lacks
    ///   (and listing those it has), a column it names more than once, or a column asked for twice.
    package static func columnIndices(of columns: [String], in header: [String], path: String) throws -> [Int] {
        let missing = columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            let names = header.map(\.quotedForMessage).joined(separator: ", ")
            let list = missing.map(\.quotedForMessage).joined(separator: ", ")
            throw GlassboxError.invalidFile(
                path: path, reason: "no column\(missing.count == 1 ? "" : "s") \(list); the columns are \(names)")
        }
        let indices = try columns.map { column in
            let matches = header.indices.filter { header[$0] == column }
            guard matches.count == 1 else {
                throw GlassboxError.invalidFile(
                    path: path, reason: "the header names column \(column.quotedForMessage) \(matches.count) times")
            }
            return matches[0]
        }
        if let repeated = columns.first(where: { column in columns.count { $0 == column } > 1 }) {
            throw GlassboxError.invalidFile(
                path: path, reason: "column \(repeated.quotedForMessage) is asked for twice")
        }
        return indices
    }

    /// The values of the columns `columns` (named in the header, the first record) in every
    /// further record.
    ///
    /// - Throws: the errors of ``table(in:delimiter:path:)`` and
    ///   ``columnIndices(of:in:path:)``.
    package static func rows(of text: String, delimiter: UInt8, columns: [String], path: String) throws -> [Row] {
        let (header, records) = try table(in: text, delimiter: delimiter, path: path)
        let indices = try columnIndices(of: columns, in: header, path: path)
        return records.map { record in Row(values: indices.map { record.fields[$0] }, line: record.line) }
    }
}
