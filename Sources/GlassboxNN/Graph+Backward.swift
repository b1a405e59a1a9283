import GlassboxCore

/// What a backward walk produced.
public struct BackwardResult: Sendable {
    /// The gradient (or relevance) at the output of each node reached, and at the input, by name.
    public let gradients: [String: Tensor]
    /// Parameter gradients by full name, when they were asked for.
    public let parameterGradients: [String: Tensor]

    /// The gradient at the graph input or at the node named `name`.
    public func gradient(at name: String) throws -> Tensor {
        guard let value = gradients[name] else {
            throw GlassboxError.invalidModel("no gradient reached '\(name)'")
        }
        return value
    }
}

extension Graph {
    /// Walks the graph backward from `seeds` (gradients at the outputs of the
    /// named nodes, e.g. a one-hot vector at the logits), applying at each node
    /// the rule `composite` chooses, down to the input.
    ///
    /// Gradients arriving at a node from several consumers are summed. Nodes
    /// that no seed reaches are skipped. With `stop`, the walk ends once the
    /// gradient at the output of node `stop` is complete (every node after it has
    /// been visited), so nothing below it is computed; Grad-CAM needs no more.
    public func backward(_ record: ForwardRecord, seeds: [String: Tensor], composite: Composite = .gradient,
                         parameterGradients: Bool = false, stoppingAt stop: String? = nil) throws -> BackwardResult {
        var gradients = [String: Tensor]()
        for (name, seed) in seeds {
            let output = try record.activation(name)
            guard seed.shape == output.shape else {
                throw GlassboxError.shapeMismatch("the seed gradient at '\(name)' is \(seed.shape), the output is \(output.shape)")
            }
            gradients[name] = seed
        }
        var parameterResults = [String: Tensor]()
        for node in nodes.reversed() {
            if node.name == stop { break }
            guard let gradient = gradients[node.name] else { continue }
            let step = BackwardStep(node: node, inputs: try node.inputs.map { try record.activation($0) },
                                    output: try record.activation(node.name),
                                    saved: record.saved[node.name] ?? [], gradient: gradient,
                                    parameters: parameters(of: node), wantsParameterGradients: parameterGradients)
            let result = try composite.rule(for: node).propagate(step)
            for (input, inputGradient) in zip(node.inputs, result.inputs) {
                gradients[input] = try gradients[input].map { try backend.binary($0, inputGradient, .add) } ?? inputGradient
            }
            for (name, value) in result.parameters { parameterResults[node.parameterName(name)] = value }
        }
        return BackwardResult(gradients: gradients, parameterGradients: parameterResults)
    }

    /// The one-hot seed for class `target` of every sample at an N×K output.
    public func oneHotSeed(targets: [Int], classes: Int) throws -> Tensor {
        var values = [Float](repeating: 0, count: targets.count * classes)
        for (sample, target) in targets.enumerated() {
            guard (0..<classes).contains(target) else {
                throw GlassboxError.invalidArgument("target class \(target) is not in 0..<\(classes)")
            }
            values[sample * classes + target] = 1
        }
        return try backend.upload(values, shape: [targets.count, classes])
    }
}
