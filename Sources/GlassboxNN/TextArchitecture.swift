import GlassboxCore

/// The built-in text classifiers `glassbox train --arch` offers. Each reads N×T token ids
/// (floats; `<pad>` = 0) through an ``Embedding`` node named `embedding`, the layer
/// word-level explanations attribute to, and keeps dropout so MC-dropout works on it.
public enum TextArchitecture: String, Sendable, CaseIterable {
    /// fastText-style (Joulin et al. 2017, "Bag of tricks for efficient text
    /// classification"): embedding 64 → mean over the T positions (the `<pad>` vector is
    /// zero and stays zero, so this is the sum of the words' vectors over T) → dropout 0.5 →
    /// dense (classes).
    case embeddingBag = "embedding-bag"
    /// Kim 2014 ("Convolutional neural networks for sentence classification"): embedding
    /// 64 → parallel 1-D convolutions of widths 3, 4 and 5 with 64 filters each (2-D
    /// convolutions of 1×k over the sequence laid out as D×1×T) → ReLU → max over time →
    /// concatenation → dropout 0.5 → dense (classes).
    case textCNN = "text-cnn"
    /// embedding 64 → one ``LSTM`` of 64 hidden units (node `lstm`, its hidden state at
    /// every token readable as a layer) → max over time → dropout 0.5 → dense (classes).
    case lstm
    /// A small transformer encoder (Vaswani et al. 2017): embedding 64 plus learned
    /// positions (``PositionEmbedding``) → two post-norm encoder layers as PyTorch's
    /// `nn.TransformerEncoderLayer` (4-head scaled dot-product self-attention, dropout 0.1,
    /// residual, ``LayerNormalization``; feed-forward 128 with GELU, dropout 0.1, residual,
    /// layer normalisation) → mean over the positions → dense (classes).
    case transformer

    /// The width of every architecture's token vectors.
    public static let embeddingDimension = 64

    /// The model for token ids of `sequenceLength` positions from a vocabulary of
    /// `vocabularySize` ids (`<pad>` = 0) into `classes` logits, initialised from `seed`.
    public func graph(
        sequenceLength: Int, vocabularySize: Int, classes: Int, seed: UInt64, backend: any Backend
    ) throws -> Graph {
        guard sequenceLength > 0, vocabularySize > 1, classes > 1 else {
            throw GlassboxError.invalidArgument(
                "a text model needs a positive length, at least two ids and two classes, got \(sequenceLength), \(vocabularySize) and \(classes)"
            )
        }
        let width = Self.embeddingDimension
        var nodes = [
            Node(
                "embedding", Embedding(vocabularySize: vocabularySize, dimension: width, paddingIndex: 0),
                inputs: ["input"])
        ]
        var fixed = [String: Float]()
        /// Appends a node reading `inputs` (default: the last node) and returns its name.
        @discardableResult
        func add(_ name: String, _ layer: any Layer, _ inputs: [String]? = nil) -> String {
            nodes.append(Node(name, layer, inputs: inputs ?? [nodes.last!.name]))
            return name
        }
        switch self {
        case .embeddingBag:
            add("mean", Reduction(.mean, axes: [1], keepDimensions: false))
            add("dropout", Dropout(0.5))
            add("logits", Dense(width, classes))
        case .textCNN:
            add("channels", Transpose([0, 2, 1]))
            add("sequence", Reshape([width, 1, sequenceLength]))
            let widths = [3, 4, 5], filters = 64
            guard sequenceLength >= widths.max()! else {
                throw GlassboxError.invalidArgument(
                    "text-cnn needs sequences of at least 5 tokens, got \(sequenceLength)")
            }
            let pooled = widths.map { kernel in
                let convolution = Conv2D(
                    inputChannels: width, outputChannels: filters,
                    window: Window2D(kernelHeight: 1, kernelWidth: kernel))
                add("conv\(kernel)", convolution, ["sequence"])
                add("relu\(kernel)", Activation.relu)
                return add("max\(kernel)", Reduction(.max, axes: [2, 3], keepDimensions: false))
            }
            add("features", Concat(axis: 1), pooled)
            add("dropout", Dropout(0.5))
            add("logits", Dense(filters * widths.count, classes))
        case .lstm:
            add("lstm", LSTM(inputSize: width, hiddenSize: width))
            add("max", Reduction(.max, axes: [1], keepDimensions: false))
            add("dropout", Dropout(0.5))
            add("logits", Dense(width, classes))
        case .transformer:
            let headCount = 4, headWidth = width / headCount
            var current = add("positions", PositionEmbedding(length: sequenceLength, dimension: width))
            for index in 1...2 {
                let block = "encoder\(index)"
                /// A projection of `current` split into heads: N×heads×T×headWidth.
                func projectedHeads(_ name: String) -> String {
                    add("\(block).\(name)", Dense(width, width), [current])
                    add("\(block).\(name).split", Reshape([sequenceLength, headCount, headWidth]))
                    return add("\(block).\(name).heads", Transpose([0, 2, 1, 3]))
                }
                let query = projectedHeads("query"), key = projectedHeads("key"), value = projectedHeads("value")
                add("\(block).scores", BatchedMatMul(transposeRight: true), [query, key])
                let scale = add("\(block).scale", Arithmetic(.multiply, constantShape: [1]))
                fixed[nodes.last!.parameterName("operand")] = 1 / Float(headWidth).squareRoot()
                add("\(block).attention", Softmax(axis: 3), [scale])
                add("\(block).attention.dropout", Dropout(0.1))
                add("\(block).context", BatchedMatMul(), ["\(block).attention.dropout", value])
                add("\(block).context.merge", Transpose([0, 2, 1, 3]))
                add("\(block).context.join", Reshape([sequenceLength, width]))
                add("\(block).output", Dense(width, width))
                add("\(block).output.dropout", Dropout(0.1))
                add("\(block).residual1", Add(), [current, "\(block).output.dropout"])
                let normalized = add(
                    "\(block).norm1", LayerNormalization(axis: -1, normalizedShape: [width], hasBias: true))
                add("\(block).feedforward1", Dense(width, 2 * width))
                add("\(block).gelu", Activation(.gelu(tanhApproximation: false)))
                add("\(block).feedforward2", Dense(2 * width, width))
                add("\(block).feedforward.dropout", Dropout(0.1))
                add("\(block).residual2", Add(), [normalized, "\(block).feedforward.dropout"])
                current = add(
                    "\(block).norm2", LayerNormalization(axis: -1, normalizedShape: [width], hasBias: true))
            }
            add("mean", Reduction(.mean, axes: [1], keepDimensions: false), [current])
            add("logits", Dense(width, classes))
        }
        var graph = try Graph.initialized(inputShape: [sequenceLength], nodes: nodes, seed: seed, backend: backend)
        var parameters = graph.parameters
        for (name, value) in fixed { parameters[name] = try backend.upload([value], shape: [1]) }
        try graph.setParameters(parameters)
        return graph
    }
}
