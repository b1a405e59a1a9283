import Foundation

/// Reading a file a user named, with the error every reader reports when it cannot (the readers
/// of `.npy`, images, model files, vocabularies and text tables).
public enum UserFile {
    /// The bytes of the file at `url` and its path for messages.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` saying "no such file" or why it cannot be read.
    public static func contents(of url: URL) throws -> (data: Data, path: String) {
        let path = url.path(percentEncoded: false)
        do {
            return (try Data(contentsOf: url, options: .mappedIfSafe), path)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "cannot read: \(error.localizedDescription)" : "no such file"
            throw GlassboxError.invalidFile(path: path, reason: reason)
        }
    }
}
