import Foundation
import GlassboxCore

/// A text pipeline stored in a model file's free-form string metadata, as JSON under two keys:
/// ``settingsMetadataKey`` holds the format version, the tokenizer's options and the sequence
/// length (short, so a listing of the metadata stays readable), ``vocabularyMetadataKey`` the
/// vocabulary.
extension TextPipeline {
    /// The metadata key of the pipeline's settings: `text-pipeline`.
    public static let settingsMetadataKey = "text-pipeline"
    /// The metadata key of the pipeline's vocabulary: `text-vocabulary`.
    public static let vocabularyMetadataKey = "text-vocabulary"
    /// The version of the stored form this library writes and reads.
    static let metadataVersion = 1

    /// The settings stored under ``settingsMetadataKey``.
    private struct Settings: Codable {
        /// The version of the stored form.
        var version: Int
        /// The tokenizer's options.
        var tokenizer: WordTokenizer
        /// The sequence length.
        var sequenceLength: Int
    }

    /// The pipeline as model-file metadata: JSON under ``settingsMetadataKey`` and
    /// ``vocabularyMetadataKey``, to merge into the other metadata of the file.
    ///
    /// - Throws: An `EncodingError` if JSON encoding fails (it does not for these values).
    public func metadata() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let settings = Settings(version: Self.metadataVersion, tokenizer: tokenizer, sequenceLength: sequenceLength)
        return [
            Self.settingsMetadataKey: String(decoding: try encoder.encode(settings), as: UTF8.self),
            Self.vocabularyMetadataKey: String(decoding: try encoder.encode(vocabulary), as: UTF8.self),
        ]
    }

    /// Reads the pipeline stored in a model file's metadata by ``metadata()``.
    ///
    /// - Parameter metadata: The model file's metadata (other keys are ignored).
    /// - Throws: `GlassboxError.invalidModel` naming the key that is missing or does not hold a
    ///   valid pipeline (or that was written by a newer Glassbox).
    public init(metadata: [String: String]) throws {
        let settings = try Self.decode(Settings.self, metadata: metadata, key: Self.settingsMetadataKey)
        guard settings.version == Self.metadataVersion else {
            throw GlassboxError.invalidModel(
                "metadata '\(Self.settingsMetadataKey)' has format version \(settings.version); "
                    + "this Glassbox reads version \(Self.metadataVersion)")
        }
        guard settings.sequenceLength >= 1 else {
            throw GlassboxError.invalidModel(
                "metadata '\(Self.settingsMetadataKey)' has sequence length \(settings.sequenceLength), below 1")
        }
        let vocabulary = try Self.decode(Vocabulary.self, metadata: metadata, key: Self.vocabularyMetadataKey)
        try self.init(tokenizer: settings.tokenizer, vocabulary: vocabulary, sequenceLength: settings.sequenceLength)
    }

    /// Decodes the JSON under `key`.
    private static func decode<Value: Decodable>(
        _ type: Value.Type, metadata: [String: String], key: String
    ) throws -> Value {
        guard let json = metadata[key] else {
            throw GlassboxError.invalidModel(
                "the model's metadata has no '\(key)' entry, so it holds no text pipeline")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw GlassboxError.invalidModel("metadata '\(key)': \(context.debugDescription)")
        } catch DecodingError.keyNotFound(let missing, _) {
            throw GlassboxError.invalidModel("metadata '\(key)' has no '\(missing.stringValue)'")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw GlassboxError.invalidModel("metadata '\(key)' has a value of the wrong type at '\(field)'")
        } catch {
            throw GlassboxError.invalidModel("metadata '\(key)' is not valid JSON")
        }
    }
}
