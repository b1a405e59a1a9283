import GlassboxCore

/// The outputs of every node from one forward pass, kept for backward passes
/// and for looking at layer activations by name.
public struct ForwardRecord: Sendable {
    /// Each node's output (and the input, unless the pass ran on a `NoisyBatch`) by name.
    public let outputs: [String: Tensor]
    /// The noisy copies the pass ran on, when it ran on a `NoisyBatch`: they are made
    /// only if ``activation(_:)`` asks for the input.
    public let noisyInput: NoisyBatch?
    /// The name of the graph input.
    public let inputName: String
    /// What each node's layer saved for its backward pass (for instance the dropout masks drawn).
    public let saved: [String: [Tensor]]
    /// The name of the model's output node.
    public let outputName: String

    /// The model's output (for instance logits).
    public var output: Tensor { outputs[outputName]! }

    /// The shape of the batch the pass ran on.
    public var inputShape: Shape { noisyInput?.shape ?? outputs[inputName]!.shape }

    /// The output of the node (or the input) named `name`.
    public func activation(_ name: String) throws -> Tensor {
        if name == inputName, outputs[name] == nil, let noisyInput { return try noisyInput.materialized() }
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
    public func forward(
        _ input: Tensor, mode: ForwardMode = .inference,
        randomStream: RandomStream = RandomStream(seed: 0), sampleOffset: Int = 0
    ) throws -> ForwardRecord {
        try forward(
            input.shape, mode: mode, randomStream: randomStream, sampleOffset: sampleOffset,
            outputs: [inputName: input], noisyInput: nil)
    }

    /// Runs the graph on noisy copies of one input, as ``forward(_:mode:randomStream:sampleOffset:)``
    /// on `batch.materialized()`. When the ``FusionPlan`` has a noisy-input reader (a
    /// convolution that alone reads the input), the noise is drawn inside its input read
    /// (the `Backend.conv2d` of a `NoisyBatch`) and the copies are never stored.
    public func forward(
        _ batch: NoisyBatch, mode: ForwardMode = .inference,
        randomStream: RandomStream = RandomStream(seed: 0), sampleOffset: Int = 0
    ) throws -> ForwardRecord {
        try forward(
            batch.shape, mode: mode, randomStream: randomStream, sampleOffset: sampleOffset,
            outputs: [:], noisyInput: batch)
    }

    /// The forward pass from the input in `outputs`, or from `noisyInput`.
    private func forward(
        _ inputBatchShape: Shape, mode: ForwardMode, randomStream: RandomStream, sampleOffset: Int,
        outputs initial: [String: Tensor], noisyInput: NoisyBatch?
    ) throws -> ForwardRecord {
        guard inputBatchShape.rank == inputShape.rank + 1, inputBatchShape.sampleShape == inputShape else {
            throw GlassboxError.shapeMismatch(
                "the model expects input samples of shape \(inputShape) (batch N×\(inputShape.dimensions.map(String.init).joined(separator: "×"))), got \(inputBatchShape)"
            )
        }
        guard sampleOffset >= 0 else { throw GlassboxError.invalidArgument("negative sample offset \(sampleOffset)") }
        var outputs = initial
        var saved = [String: [Tensor]]()
        for (index, node) in nodes.enumerated() {
            let nodeStream = randomStream.substream(randomStream.stream &+ UInt32(index + 1))
                .advanced(by: UInt64(sampleOffset * shapes[node.name]!.count))
            let context = ForwardContext(backend: backend, mode: mode, randomStream: nodeStream)
            let result: LayerOutput
            if let noisyInput, let reader = fusionPlan.noisyInputReader, reader.node.name == node.name {
                result = try reader.layer.forward(noisyInput, parameters: parameters(of: node), context: context)
            } else {
                if let noisyInput, node.inputs.contains(inputName), outputs[inputName] == nil {
                    outputs[inputName] = try noisyInput.materialized()
                }
                result = try node.layer.forward(
                    node.inputs.map { outputs[$0]! }, parameters: parameters(of: node), context: context)
            }
            outputs[node.name] = result.output
            if !result.saved.isEmpty { saved[node.name] = result.saved }
        }
        return ForwardRecord(
            outputs: outputs, noisyInput: noisyInput, inputName: inputName, saved: saved, outputName: outputName)
    }

    /// The model's outputs for a batch, in inference mode.
    public func predict(_ input: Tensor) throws -> Tensor { try forward(input).output }
}
