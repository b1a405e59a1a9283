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
    ///
    /// With `fusingReLUs`, a ReLU whose output only a convolution or a pooling
    /// reads (see ``FusionPlan``) is passed inside that layer's backward kernel,
    /// under the ReLU's own rule (the gradient, guided or deconvnet): the values are
    /// the same, but the result then holds no gradient at that ReLU's output.
    public func backward(
        _ record: ForwardRecord, seeds: [String: Tensor], composite: Composite = .gradient,
        parameterGradients: Bool = false, stoppingAt stop: String? = nil,
        fusingReLUs: Bool = false
    ) throws -> BackwardResult {
        let fused = fusionPlan.steps(
            composite: composite, seeds: Set(seeds.keys), stop: stop, fusingReLUs: fusingReLUs,
            input: .tensor)
        return try walk(
            record, seeds: seeds, composite: composite, parameterGradients: parameterGradients, stop: stop,
            fused: fused
        ).result
    }

    /// The statistics over the batch of the input gradients (of their absolute
    /// values when `absolute`) of a walk from `seeds` with ReLUs fused: what
    /// SmoothGrad and VarGrad keep of a batch of noisy copies (Smilkov et al. 2017;
    /// Adebayo et al. 2018). When the ``FusionPlan``'s noisy-input reader is passed by
    /// the gradient rule, it reduces the gradients as it computes them, so they are
    /// never stored per sample.
    public func inputGradientStatistics(
        _ record: ForwardRecord, seeds: [String: Tensor], composite: Composite = .gradient,
        absolute: Bool
    ) throws -> SampleStatistics {
        let fused = fusionPlan.steps(
            composite: composite, seeds: Set(seeds.keys), stop: nil, fusingReLUs: true,
            input: .statistics(absolute: absolute))
        let walk = try walk(
            record, seeds: seeds, composite: composite, parameterGradients: false, stop: nil, fused: fused)
        if let statistics = walk.inputStatistics { return statistics }
        return try backend.sampleStatistics(try walk.result.gradient(at: inputName), absolute: absolute)
    }

    /// The backward walk: each node reached runs its rule, or its fused step; the input
    /// statistics come back when a fused step computed them.
    private func walk(
        _ record: ForwardRecord, seeds: [String: Tensor], composite: Composite, parameterGradients: Bool,
        stop: String?, fused: [String: FusionPlan.Step]
    ) throws -> (result: BackwardResult, inputStatistics: SampleStatistics?) {
        var gradients = [String: Tensor]()
        for (name, seed) in seeds {
            let output = try record.activation(name)
            guard seed.shape == output.shape else {
                throw GlassboxError.shapeMismatch(
                    "the seed gradient at '\(name)' is \(seed.shape), the output is \(output.shape)")
            }
            gradients[name] = seed
        }
        var inputStatistics: SampleStatistics?
        var parameterResults = [String: Tensor]()
        for node in nodes.reversed() {
            if node.name == stop { break }
            guard let gradient = gradients[node.name] else { continue }
            if case .inputStatistics(let layer, let absolute) = fused[node.name] {
                // The layer reads the (noisy) input only through its shape: the copies are never made.
                inputStatistics = try layer.inputGradientStatistics(
                    gradient, inputShape: record.inputShape,
                    parameters: parameters(of: node), absolute: absolute)
                continue
            }
            let step = BackwardStep(
                node: node, inputs: try node.inputs.map { try record.activation($0) },
                output: try record.activation(node.name), saved: record.saved[node.name] ?? [],
                gradient: gradient, parameters: parameters(of: node),
                wantsParameterGradients: parameterGradients)
            let result: LayerGradients, receivers: [String]
            if case .throughReLU(let layer, let relu, let mode) = fused[node.name] {
                result = try layer.backward(
                    step, through: ReLUBackwardGate(input: try record.activation(relu.inputs[0]), mode: mode))
                receivers = relu.inputs
            } else {
                result = try composite.rule(for: node).propagate(step)
                receivers = node.inputs
            }
            for (input, inputGradient) in zip(receivers, result.inputs) {
                gradients[input] =
                    try gradients[input].map { try backend.binary($0, inputGradient, .add) } ?? inputGradient
            }
            for (name, value) in result.parameters { parameterResults[node.parameterName(name)] = value }
        }
        return (BackwardResult(gradients: gradients, parameterGradients: parameterResults), inputStatistics)
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
