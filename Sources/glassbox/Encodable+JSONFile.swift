import Foundation

extension Encodable {
    /// The value as pretty-printed JSON with sorted keys.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes ``jsonData()`` to `path`, atomically.
    func writeJSON(to path: String) throws {
        try jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
