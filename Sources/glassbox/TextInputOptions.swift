import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxNN
import GlassboxONNX
import GlassboxText

/// The text inputs of commands that run a text model: `--text` or `--text-file`, and for an
/// ONNX text model the vocabulary and tokenizer settings that turn words into its token ids.
struct TextInputOptions: ParsableArguments {
    @Option(
        parsing: .singleValue,
        help:
            "A text to run the model on (repeat for several); the model must read token ids (a text model trained by `glassbox train`, or an ONNX model with --vocab)."
    )
    var text: [String] = []

    @Option(
        name: .customLong("text-file"),
        help:
            "A file of texts: one per line (.txt or any other name), or a table whose --text-column holds them (.csv, .tsv, .jsonl)."
    )
    var textFile: String?

    @Option(name: .customLong("text-column"), help: "--text-file tables: the column (JSON member) holding the text.")
    var textColumn = "text"

    @Option(
        help:
            "ONNX text models: the vocabulary, one token per line (line k is id k); native models carry their own."
    )
    var vocab: String?

    @Option(name: .customLong("pad-token"), help: "--vocab: the padding token's spelling.")
    var padToken = Vocabulary.defaultPaddingToken

    @Option(name: .customLong("unk-token"), help: "--vocab: the unknown token's spelling.")
    var unkToken = Vocabulary.defaultUnknownToken

    @Option(
        name: .customLong("sequence-length"),
        help: "ONNX text models whose input length is symbolic: the number of token ids per text.")
    var sequenceLength: Int?

    @Flag(
        name: .customLong("keep-case"), help: "--vocab: do not lowercase (native models use their own setting).")
    var keepCase = false

    @Flag(
        name: .customLong("no-placeholders"),
        help: "--vocab: keep URLs, @users and numbers as they are instead of <url>, <user>, <number>.")
    var noPlaceholders = false

    @Option(
        name: .customLong("embedding-layer"),
        help:
            "The node whose output word-level methods explain (default: the model's one embedding, the lookup of the input ids)."
    )
    var embeddingLayer: String?

    /// Whether any text was given.
    var isGiven: Bool { !text.isEmpty || textFile != nil }

    func validate() throws {
        if !text.isEmpty, textFile != nil { throw ValidationError("give --text or --text-file, not both") }
        if let sequenceLength, sequenceLength <= 0 { throw ValidationError("--sequence-length must be positive") }
    }

    /// The texts given, in order.
    func texts() throws -> [String] {
        guard let textFile else { return text }
        let url = URL(fileURLWithPath: textFile)
        let texts: [String]
        if LabeledTextTable.Format(pathExtension: url.pathExtension) != nil {
            texts = try LabeledTextTable(contentsOf: url, textColumn: textColumn, labelColumn: nil).rows.map(\.text)
        } else {
            texts = try TextLines(contentsOf: url).lines.filter { !$0.allSatisfy(\.isWhitespace) }
        }
        guard !texts.isEmpty else { throw GlassboxError.invalidFile(path: textFile, reason: "holds no text") }
        return texts
    }

    /// Loads `model` and the texts as a batch of token ids for it.
    func load(_ model: ModelSource, backend: any Backend) throws -> TextInputs {
        let texts = try texts()
        let pipeline: TextPipeline
        var classNames: [String]?
        let (graph, metadata) = try model.load(backend: backend) { declared in
            guard declared.sampleDimensions.count == 1 else {
                throw GlassboxError.invalidArgument(
                    "text needs a model whose input is token ids N×T; this one's is declared \(declared)")
            }
            guard let length = sequenceLength else {
                throw GlassboxError.invalidArgument(
                    "the model's input length is symbolic (\(declared)); give --sequence-length")
            }
            return [length]
        }
        if model.isONNX {
            guard let vocab else {
                throw GlassboxError.invalidArgument(
                    "an ONNX text model needs --vocab (one token per line, line k = id k)")
            }
            guard graph.inputShape.rank == 1 else {
                throw GlassboxError.invalidArgument(
                    "text needs a model whose input is token ids N×T; this one takes \(graph.inputShape) per sample")
            }
            let vocabulary = try Vocabulary(
                contentsOf: URL(fileURLWithPath: vocab), paddingToken: padToken, unknownToken: unkToken)
            let tokenizer = WordTokenizer(
                lowercase: !keepCase, normalizeURLs: !noPlaceholders, normalizeUsers: !noPlaceholders,
                normalizeNumbers: !noPlaceholders)
            pipeline = try TextPipeline(
                tokenizer: tokenizer, vocabulary: vocabulary, sequenceLength: graph.inputShape[0])
        } else {
            guard metadata[TextPipeline.settingsMetadataKey] != nil else {
                throw GlassboxError.invalidFile(
                    path: model.path, reason: "is not a text model (it has no tokenizer and vocabulary)")
            }
            pipeline = try TextPipeline(metadata: metadata)
            classNames = try TextInputs.classNames(in: metadata)
        }
        return try TextInputs(
            texts: texts, pipeline: pipeline, graph: graph, classNames: classNames,
            embeddingLayer: try embeddingLayer.map { try graph.nodeName(matching: $0, option: "--embedding-layer") })
    }
}
