import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxText

/// Texts encoded as token ids for a text model, with what is needed to show them again: each
/// text's tokens and where they are in the text.
struct TextInputs {
    /// The metadata key under which `glassbox train` stores a text model's class names (a JSON list).
    static let classNamesMetadataKey = "class-names"

    /// The texts, as given.
    let texts: [String]
    /// How the texts became ids.
    let pipeline: TextPipeline
    /// The model.
    let graph: Graph
    /// Each text's ids, padded or truncated to the model's length.
    let encodings: [EncodedText]
    /// Each text's tokens, all of them (also those a truncation dropped).
    let tokens: [[Token]]
    /// The ids of every text, N×T (as floats), on the model's backend.
    let ids: Tensor
    /// The class names the model file names, if any.
    let classNames: [String]?
    /// The node word-level methods explain, when given by the user.
    let chosenEmbeddingLayer: String?

    /// Encodes `texts` for `graph`, printing a notice for each text longer than the model reads.
    init(
        texts: [String], pipeline: TextPipeline, graph: Graph, classNames: [String]?, embeddingLayer: String?
    ) throws {
        self.texts = texts
        self.pipeline = pipeline
        self.graph = graph
        self.classNames = classNames
        chosenEmbeddingLayer = embeddingLayer
        guard graph.inputShape == [pipeline.sequenceLength] else {
            throw GlassboxError.invalidArgument(
                "the model reads \(graph.inputShape) per sample, not \(pipeline.sequenceLength) token ids")
        }
        encodings = try texts.enumerated().map { index, text in
            do {
                return try pipeline.encode(text)
            } catch GlassboxError.invalidArgument(let message) {
                throw GlassboxError.invalidArgument("text \(index): \(message)")
            }
        }
        tokens = texts.map(pipeline.tokens(in:))
        for (index, encoding) in encodings.enumerated() where encoding.isTruncated {
            FileHandle.standardError.write(
                Data(
                    "notice: text \(index) has \(encoding.tokenCount + encoding.droppedTokenCount) tokens; the model reads the first \(pipeline.sequenceLength)\n"
                        .utf8))
        }
        if let rows = graph.inputEmbeddings.map({ $0.layer.vocabularySize }).min(),
            pipeline.vocabulary.count > rows
        {
            throw GlassboxError.invalidArgument(
                "the vocabulary has \(pipeline.vocabulary.count) tokens but the model's embedding has \(rows) rows")
        }
        ids = try graph.backend.upload(
            encodings.flatMap { $0.ids.map(Float.init) }, shape: [texts.count, pipeline.sequenceLength])
    }

    /// The node word-level methods explain: the one given, or the model's one embedding of its input ids.
    func embeddingLayer() throws -> String {
        if let chosenEmbeddingLayer { return chosenEmbeddingLayer }
        let found = graph.inputEmbeddings
        guard found.count == 1 else {
            throw GlassboxError.invalidArgument(
                found.isEmpty
                    ? "the model has no embedding of its input ids; name the layer to explain with --embedding-layer"
                    : "the model has \(found.count) embeddings of its input ids (\(found.map(\.name).joined(separator: ", "))); choose one with --embedding-layer"
            )
        }
        return found[0].name
    }

    /// The number of tokens of text `index` that the model reads.
    func readCount(_ index: Int) -> Int { encodings[index].tokenCount }

    /// Text `index`'s tokens the model reads, spelled as in the text, each with the text up to
    /// the next token as its separator.
    func reportTokens(_ index: Int) -> [TextAttributionReport.Token] {
        let text = texts[index], shown = Array(tokens[index].prefix(readCount(index)))
        return shown.enumerated().map { position, token in
            let next = position + 1 < shown.count ? shown[position + 1].range.lowerBound : token.range.upperBound
            return TextAttributionReport.Token(
                String(text[token.range]), separator: String(text[token.range.upperBound..<next]))
        }
    }

    /// Text `index`'s truncation, for a report.
    func truncation(_ index: Int) throws -> TextAttributionReport.Truncation? {
        let encoding = encodings[index]
        guard encoding.isTruncated else { return nil }
        return try TextAttributionReport.Truncation(
            modelLength: pipeline.sequenceLength, textLength: encoding.tokenCount + encoding.droppedTokenCount)
    }

    /// The class names stored in a model file's `metadata`, if any.
    static func classNames(in metadata: [String: String]) throws -> [String]? {
        guard let stored = metadata[classNamesMetadataKey] else { return nil }
        guard let names = try? JSONDecoder().decode([String].self, from: Data(stored.utf8)) else {
            throw GlassboxError.invalidModel("the model file's class names are not a JSON list of strings")
        }
        return names
    }
}

extension Graph {
    /// The embedding nodes that look up the graph's input ids: a text model's word vectors.
    var inputEmbeddings: [(name: String, layer: Embedding)] {
        nodes.compactMap { node in
            guard let layer = node.layer as? Embedding, node.inputs == [inputName] else { return nil }
            return (node.name, layer)
        }
    }
}
