import GlassboxCore

/// The outputs of every node from one forward pass, kept for backward passes
/// and for looking at layer activations by name.
public struct ForwardRecord: Sendable {
    /// Each node's output (and the input) by name.
    public let outputs: [String: Tensor]
    /// What each node's layer saved for its backward pass (for instance the dropout masks drawn).
    public let saved: [String: [Tensor]]
    /// The name of the model's output node.
    public let outputName: String

    /// The model's output (for instance logits).
    public var output: Tensor { outputs[outputName]! }

    /// The output of the node (or the input) named `name`.
    public func activation(_ name: String) throws -> Tensor {
        guard let value = outputs[name] else {
            throw GlassboxError.invalidModel("no node named '\(name)' in this pass")
        }
        return value
    }
}

extension Graph {
    /// Runs the graph on a batch `(N, …input shape)`.
    ///
    /// In ``ForwardMode/stochastic`` mode node k (counting from 1) draws its
    /// random numbers from substream `randomStream.stream + k`, starting at the
    /// draw of sample `sampleOffset`. A batch split into chunks with matching
    /// offsets therefore draws exactly the masks of the whole batch.
    public func forward(_ input: Tensor, mode: ForwardMode = .inference,
                        randomStream: RandomStream = RandomStream(seed: 0), sampleOffset: Int = 0) throws -> ForwardRecord {
        guard input.shape.rank == inputShape.rank + 1, input.shape.sampleShape == inputShape else {
            throw GlassboxError.shapeMismatch("the model expects input samples of shape \(inputShape) (batch N×\(inputShape.dimensions.map(String.init).joined(separator: "×"))), got \(input.shape)")
        }
        guard sampleOffset >= 0 else { throw GlassboxError.invalidArgument("negative sample offset \(sampleOffset)") }
        var outputs = [inputName: input]
        var saved = [String: [Tensor]]()
        for (index, node) in nodes.enumerated() {
            let nodeStream = randomStream.substream(randomStream.stream &+ UInt32(index + 1))
                .advanced(by: UInt64(sampleOffset * shapes[node.name]!.count))
            let context = ForwardContext(backend: backend, mode: mode, randomStream: nodeStream)
            let result = try node.layer.forward(node.inputs.map { outputs[$0]! }, parameters: parameters(of: node), context: context)
            outputs[node.name] = result.output
            if !result.saved.isEmpty { saved[node.name] = result.saved }
        }
        return ForwardRecord(outputs: outputs, saved: saved, outputName: outputName)
    }

    /// The model's outputs for a batch, in inference mode.
    public func predict(_ input: Tensor) throws -> Tensor { try forward(input).output }
}
