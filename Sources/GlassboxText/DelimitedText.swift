import GlassboxCore

/// Comma- and tab-separated text as RFC 4180 defines it: records end at a line end (LF, CRLF or
/// CR), fields are separated by the delimiter, and a field in double quotes may hold delimiters,
/// line ends and quotes (written twice). A quote inside an unquoted field is taken literally, as
/// Python's `csv` module and pandas take it; empty lines between records are skipped.
enum DelimitedText {
    /// One record: its fields and the line it starts on.
    struct Record {
        /// The record's fields, unquoted.
        var fields: [String]
        /// The number of the line the record starts on, from 1.
        var line: Int
    }

    /// The values of some columns in one record.
    struct Row {
        /// The values, one per requested column, in the order the columns were asked for.
        var values: [String]
        /// The number of the line the record starts on, from 1.
        var line: Int
    }

    /// The ASCII double quote.
    static let quote: UInt8 = 0x22

    /// The records of `text`, the first one being the header if the text has one.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the line of a quoted field that
    ///   is never closed, or of a character after a closing quote.
    static func records(in text: String, delimiter: UInt8, path: String) throws -> [Record] {
        let bytes = Array(text.utf8)
        let lineFeed = TextFile.lineFeed
        let carriageReturn = TextFile.carriageReturn
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

    /// The values of the columns `columns` (named in the header, the first record) in every
    /// further record.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the file is empty, has no record
    ///   after the header, lacks a column (listing those it has) or names one twice, or has a
    ///   record whose number of fields differs from the header's (naming its line).
    static func rows(of text: String, delimiter: UInt8, columns: [String], path: String) throws -> [Row] {
        let records = try records(in: text, delimiter: delimiter, path: path)
        guard let header = records.first else {
            throw GlassboxError.invalidFile(path: path, reason: "the file is empty")
        }
        var indices: [Int] = []
        for column in columns {
            let matches = header.fields.indices.filter { header.fields[$0] == column }
            guard let first = matches.first else {
                let names = header.fields.map(\.quotedForMessage).joined(separator: ", ")
                throw GlassboxError.invalidFile(
                    path: path, reason: "no column \(column.quotedForMessage); the columns are \(names)")
            }
            guard matches.count == 1 else {
                throw GlassboxError.invalidFile(
                    path: path, reason: "the header names column \(column.quotedForMessage) \(matches.count) times")
            }
            indices.append(first)
        }
        guard records.count > 1 else {
            throw GlassboxError.invalidFile(path: path, reason: "the file has a header but no rows")
        }
        return try records.dropFirst().map { record in
            guard record.fields.count == header.fields.count else {
                throw GlassboxError.invalidFile(
                    path: path,
                    reason: "line \(record.line): \(record.fields.count) fields, but the header has "
                        + "\(header.fields.count)")
            }
            return Row(values: indices.map { record.fields[$0] }, line: record.line)
        }
    }
}
