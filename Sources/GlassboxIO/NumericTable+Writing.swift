import Foundation
import GlassboxCore

extension NumericTable {
    /// The table as CSV text that ``init(csv:path:columns:)`` reads back to the same values: the
    /// header, then one line per row, each number in the shortest form that rounds back to its
    /// float32 value; names holding a comma, a quote or a line end are quoted (RFC 4180).
    public func csvText() -> String {
        func field(_ name: String) -> String {
            guard name.contains(where: { ",\"\r\n".contains($0) }) else { return name }
            return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [columnNames.map(field).joined(separator: ",")]
        for row in 0..<rowCount { lines.append(self.row(row).map { "\($0)" }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``csvText()`` to `url`, atomically: the text goes to a temporary file in the same
    /// directory, which is renamed over `url` only when it is complete.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` when the file cannot be written.
    public func write(to url: URL) throws {
        do {
            try Data(csvText().utf8).write(to: url, options: .atomic)
        } catch {
            throw GlassboxError.invalidFile(
                path: url.path(percentEncoded: false), reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
