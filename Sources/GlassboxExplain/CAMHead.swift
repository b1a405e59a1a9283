import GlassboxCore
import GlassboxNN

/// The classifier head CAM needs (Zhou et al. 2016): the layer's output goes
/// straight into global average pooling, then (through flattening reshapes
/// only) into the dense layer that gives the model's output, optionally followed by a softmax.
struct CAMHead {
    /// The dense layer's weight, classes × channels, on the host.
    let classWeights: [Float]
    let channels: Int

    init(model: Graph, layer: String) throws {
        let pooling = try Self.soleConsumer(of: layer, in: model)
        guard pooling.layer is GlobalAveragePool else {
            throw GlassboxError.invalidModel(
                "CAM needs '\(layer)' to feed a global average pooling directly; it feeds '\(pooling.name)' (\(pooling.layer.typeName))"
            )
        }
        var node = try Self.soleConsumer(of: pooling.name, in: model)
        while node.layer is Reshape { node = try Self.soleConsumer(of: node.name, in: model) }
        guard let dense = node.layer as? Dense else {
            throw GlassboxError.invalidModel(
                "CAM needs global average pooling followed by a dense layer; '\(node.name)' is \(node.layer.typeName)")
        }
        let output = model.outputName
        guard
            node.name == output
                || (try? Self.soleConsumer(of: node.name, in: model)).map({ $0.name == output && $0.layer is Softmax })
                    == true
        else {
            throw GlassboxError.invalidModel("CAM needs the dense layer '\(node.name)' to give the model's output")
        }
        classWeights = try model.parameters[node.parameterName("weight")]!.toArray()
        channels = dense.inputFeatures
    }

    /// The name of the node that feeds the model's only global average pooling.
    static func poolingInput(in model: Graph) throws -> String {
        let poolings = model.nodes.filter { $0.layer is GlobalAveragePool }
        guard poolings.count == 1 else {
            throw GlassboxError.invalidModel(
                "CAM needs a model with one global average pooling, this one has \(poolings.count)")
        }
        return poolings[0].inputs[0]
    }

    /// The only node reading `name`.
    static func soleConsumer(of name: String, in model: Graph) throws -> Node {
        let consumers = model.consumers(of: name)
        guard consumers.count == 1 else {
            throw GlassboxError.invalidModel(
                "CAM needs '\(name)' to feed exactly one node, it feeds \(consumers.count)")
        }
        return consumers[0]
    }

    /// α (N×C×1×1): row `targets[n]` of the dense weight for each sample.
    func weights(for targets: [Int], backend: any Backend) throws -> Tensor {
        let rows = targets.flatMap { classWeights[($0 * channels)..<(($0 + 1) * channels)] }
        return try backend.upload(rows, shape: [targets.count, channels, 1, 1])
    }
}
