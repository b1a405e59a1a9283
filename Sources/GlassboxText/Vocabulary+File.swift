import Foundation
import GlassboxCore

/// The `vocab.txt` file: UTF-8 text, one token per line, the line number less one being the
/// token's id (BERT's and fastText's layout). Lines end with LF, CRLF or CR; the last line may
/// end without one.
extension Vocabulary {
    /// Reads a `vocab.txt` file.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - paddingToken: The name of the padding token in the file, such as `[PAD]`.
    ///   - unknownToken: The name of the unknown token in the file, such as `[UNK]`.
    /// - Throws: `GlassboxError.invalidFile(path:reason:)`, in one line naming the file (and the
    ///   line where it applies), if it cannot be read, is empty, holds bytes that are not UTF-8
    ///   or an empty line, repeats a token, or lacks the padding or unknown token.
    public init(
        contentsOf url: URL, paddingToken: String = defaultPaddingToken, unknownToken: String = defaultUnknownToken
    ) throws {
        let (data, path) = try UserFile.contents(of: url)
        try self.init(vocabularyFile: data, path: path, paddingToken: paddingToken, unknownToken: unknownToken)
    }

    /// Reads the bytes of a `vocab.txt` file.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The name of the file in messages.
    ///   - paddingToken: The name of the padding token in the file.
    ///   - unknownToken: The name of the unknown token in the file.
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` as ``init(contentsOf:paddingToken:unknownToken:)``.
    public init(
        vocabularyFile data: Data, path: String, paddingToken: String = defaultPaddingToken,
        unknownToken: String = defaultUnknownToken
    ) throws {
        let text = try TextFile.text(of: data, path: path, encoding: .utf8)
        let tokens = TextFile.lines(of: text).map { String(decoding: $0.bytes, as: UTF8.self) }
        guard !tokens.isEmpty else {
            throw GlassboxError.invalidFile(path: path, reason: "the file is empty")
        }
        do {
            try self.init(checking: tokens, paddingToken: paddingToken, unknownToken: unknownToken)
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: error.description(inFile: true))
        }
    }

    /// The bytes of the vocabulary's `vocab.txt` file: each token and a line feed.
    public var fileData: Data {
        Data(tokens.map { $0 + "\n" }.joined().utf8)
    }

    /// Writes the vocabulary as a `vocab.txt` file, to a temporary file that is then renamed.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the file cannot be written.
    public func write(to url: URL) throws {
        do {
            try fileData.write(to: url, options: .atomic)
        } catch {
            throw GlassboxError.invalidFile(
                path: url.path(percentEncoded: false), reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
