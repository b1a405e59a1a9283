import Foundation
import GlassboxCore

/// A table of numbers with named columns, read from a CSV file: a user's rows to explain
/// (`--input rows.csv`), training data (`--train train.csv`) or a background set
/// (`--background bg.csv`).
///
/// The file is UTF-8 (a byte-order mark is skipped) in RFC 4180's CSV: the first record is the
/// header naming the columns, every further record a row of numbers; fields in double quotes may
/// hold commas, line ends and doubled quotes; CRLF, LF and CR end records; empty lines are skipped.
/// A number is what Swift's `Float(_:)` reads (`12`, `-0.5`, `1e-3`), with spaces or tabs around
/// it allowed; it must be finite in float32. Read only some columns with `columns:`, so a table may
/// hold text columns (an id, a diagnosis) the caller does not need; ``columns(named:)`` selects and
/// reorders the columns of a table already read.
///
/// Every problem is a `GlassboxError.invalidFile(path:reason:)` with a one-line reason naming the
/// line where it applies — "line 7, column 'mean radius': 'abc' is not a number" — for: a missing or
/// unreadable file, an empty file, a header without rows, bytes that are not UTF-8, a row with the
/// wrong number of fields, a quoted field never closed, an empty, non-numeric or non-finite value,
/// missing columns (listing the columns there are) and a column the header names twice.
public struct NumericTable: Sendable, Equatable {
    /// The column names, in table order.
    public let columnNames: [String]
    /// The values row by row: the value of row `r` in column `c` is at `r * columnCount + c`.
    public let values: [Float]
    /// The file the table was read from, as messages name it.
    public let path: String

    /// The number of columns.
    public var columnCount: Int { columnNames.count }
    /// The number of rows.
    public var rowCount: Int { columnNames.isEmpty ? 0 : values.count / columnNames.count }

    /// A table of `values` (row by row) under `columnNames`.
    ///
    /// - Parameters:
    ///   - columnNames: The column names; not empty, each one once.
    ///   - values: The values row by row; a whole number of rows, all finite.
    ///   - path: The name of the table in messages.
    /// - Throws: `GlassboxError.invalidArgument(_:)` naming the table if the names or values do not
    ///   make a table.
    public init(columnNames: [String], values: [Float], path: String) throws {
        guard !columnNames.isEmpty else {
            throw GlassboxError.invalidArgument("\(path): a table needs at least one column")
        }
        if let repeated = columnNames.first(where: { name in columnNames.count { $0 == name } > 1 }) {
            throw GlassboxError.invalidArgument("\(path): column \(repeated.quotedForMessage) is named twice")
        }
        guard values.count % columnNames.count == 0 else {
            throw GlassboxError.invalidArgument(
                "\(path): \(values.count) values do not fill rows of \(columnNames.count) columns")
        }
        guard values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidArgument("\(path): the values must be finite")
        }
        self.init(checkedColumnNames: columnNames, values: values, path: path)
    }

    /// A table of values already checked: distinct names, whole rows, finite values.
    init(checkedColumnNames columnNames: [String], values: [Float], path: String) {
        self.columnNames = columnNames
        self.values = values
        self.path = path
    }

    /// Reads the CSV file at `url`.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - columns: The columns to read, in the order the table gets them; nil reads every column.
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file (and the line) if it is
    ///   missing, unreadable or malformed, or lacks a column asked for.
    public init(contentsOf url: URL, columns: [String]? = nil) throws {
        let (data, path) = try UserFile.contents(of: url)
        try self.init(csv: data, path: path, columns: columns)
    }

    /// Reads a table from the bytes of a CSV file.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The name of the file in messages.
    ///   - columns: The columns to read, in the order the table gets them; nil reads every column.
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming `path` (and the line) if the data
    ///   is malformed or lacks a column asked for.
    public init(csv data: Data, path: String, columns: [String]? = nil) throws {
        let text = try UserFile.utf8Text(of: data, path: path)
        let (header, records) = try CSVRecords.table(in: text, delimiter: CSVRecords.comma, path: path)
        let names = columns ?? header
        let indices = try CSVRecords.columnIndices(of: names, in: header, path: path)
        var values: [Float] = []
        values.reserveCapacity(records.count * indices.count)
        for record in records {
            for index in indices {
                values.append(
                    try Self.number(record.fields[index], line: record.line, column: header[index], path: path))
            }
        }
        self.init(checkedColumnNames: names, values: values, path: path)
    }

    /// The value of one field.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the line and the column if the
    ///   field is empty, not a number, or not finite in float32.
    static func number(_ field: String, line: Int, column: String, path: String) throws -> Float {
        let place = "line \(line), column \(column.quotedForMessage)"
        let trimmed = field.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard !trimmed.isEmpty else {
            throw GlassboxError.invalidFile(path: path, reason: "\(place) is empty")
        }
        guard let value = Float(trimmed) else {
            throw GlassboxError.invalidFile(path: path, reason: "\(place): \(field.quotedForMessage) is not a number")
        }
        guard value.isFinite else {
            throw GlassboxError.invalidFile(
                path: path, reason: "\(place): \(field.quotedForMessage) is not a finite float32 number")
        }
        return value
    }

    /// The table of the columns `names`, in that order.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming ``path`` and every column the
    ///   table lacks (listing those it has), or a column `names` asks for twice.
    public func columns(named names: [String]) throws -> NumericTable {
        let indices = try CSVRecords.columnIndices(of: names, in: columnNames, path: path)
        var selected: [Float] = []
        selected.reserveCapacity(rowCount * indices.count)
        for row in 0..<rowCount {
            selected.append(contentsOf: indices.map { values[row * columnCount + $0] })
        }
        return NumericTable(checkedColumnNames: names, values: selected, path: path)
    }

    /// The table of the rows at `indices`, in that order (repeats allowed); every index must be in
    /// `0..<rowCount`.
    public func rows(_ indices: [Int]) -> NumericTable {
        var selected: [Float] = []
        selected.reserveCapacity(indices.count * columnCount)
        for index in indices {
            selected.append(contentsOf: row(index))
        }
        return NumericTable(checkedColumnNames: columnNames, values: selected, path: path)
    }

    /// The mean and the standard deviation of every column, summed in Float64. The deviation is
    /// the population one (divided by the row count), as scikit-learn's `StandardScaler` computes it.
    public func columnStatistics() -> (mean: [Float], standardDeviation: [Float]) {
        var sums = [Double](repeating: 0, count: columnCount)
        for (index, value) in values.enumerated() {
            sums[index % columnCount] += Double(value)
        }
        let means = sums.map { $0 / Double(max(rowCount, 1)) }
        var squares = [Double](repeating: 0, count: columnCount)
        for (index, value) in values.enumerated() {
            let deviation = Double(value) - means[index % columnCount]
            squares[index % columnCount] += deviation * deviation
        }
        return (means.map { Float($0) }, squares.map { Float(($0 / Double(max(rowCount, 1))).squareRoot()) })
    }

    /// The values of row `index`, one per column; `index` must be in `0..<rowCount`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        precondition((0..<rowCount).contains(index), "row \(index) is outside 0..<\(rowCount)")
        return values[(index * columnCount)..<((index + 1) * columnCount)]
    }

    /// The values of the column named `name`, one per row, or nil if the table has no such column.
    public func column(named name: String) -> [Float]? {
        guard let index = columnNames.firstIndex(of: name) else { return nil }
        return (0..<rowCount).map { values[$0 * columnCount + index] }
    }
}
