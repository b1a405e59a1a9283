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
    /// reads (a ``ReLUGatedLayer`` passed by the gradient rule) is passed inside
    /// that layer's backward kernel, under the ReLU's own rule (the gradient,
    /// guided or deconvnet): the values are the same, but the result then holds no
    /// gradient at that ReLU's output. ReLUs that are `stop` or seeded are not fused.
    public func backward(_ record: ForwardRecord, seeds: [String: Tensor], composite: Composite = .gradient,
                         parameterGradients: Bool = false, stoppingAt stop: String? = nil,
                         fusingReLUs: Bool = false) throws -> BackwardResult {
        try walk(record, seeds: seeds, composite: composite, parameterGradients: parameterGradients, stop: stop,
                 fusingReLUs: fusingReLUs, inputStatistics: nil).result
    }

    /// The statistics over the batch of the input gradients (of their absolute
    /// values when `absolute`) of a walk from `seeds` with ReLUs fused: what
    /// SmoothGrad and VarGrad keep of a batch of noisy copies (Smilkov et al. 2017;
    /// Adebayo et al. 2018). When a ``NoisyInputLayer`` passed by the gradient rule
    /// alone reads the input, it reduces the gradients as it computes them, so they
    /// are never stored per sample.
    public func inputGradientStatistics(_ record: ForwardRecord, seeds: [String: Tensor], composite: Composite = .gradient,
                                        absolute: Bool) throws -> SampleStatistics {
        let walk = try walk(record, seeds: seeds, composite: composite, parameterGradients: false, stop: nil,
                            fusingReLUs: true, inputStatistics: absolute)
        if let statistics = walk.statistics { return statistics }
        return try backend.sampleStatistics(try walk.result.gradient(at: inputName), absolute: absolute)
    }

    /// The backward walk; with `inputStatistics` (whether absolute) the input
    /// gradient's statistics, when the input's reader computes them itself.
    private func walk(_ record: ForwardRecord, seeds: [String: Tensor], composite: Composite, parameterGradients: Bool,
                      stop: String?, fusingReLUs: Bool,
                      inputStatistics absolute: Bool?) throws -> (result: BackwardResult, statistics: SampleStatistics?) {
        var gradients = [String: Tensor]()
        for (name, seed) in seeds {
            let output = try record.activation(name)
            guard seed.shape == output.shape else {
                throw GlassboxError.shapeMismatch("the seed gradient at '\(name)' is \(seed.shape), the output is \(output.shape)")
            }
            gradients[name] = seed
        }
        let statisticsReader = absolute == nil ? nil : soleReader(of: inputName)
        var statistics: SampleStatistics?
        var parameterResults = [String: Tensor]()
        var fused = Set<String>()
        for node in nodes.reversed() {
            if node.name == stop { break }
            guard !fused.contains(node.name), let gradient = gradients[node.name] else { continue }
            let rule = composite.rule(for: node)
            if let absolute, node.name == statisticsReader?.name, rule is GradientRule,
               let layer = node.layer as? any NoisyInputLayer {
                statistics = try layer.inputGradientStatistics(gradient, inputShape: record.inputShape,
                                                               parameters: parameters(of: node), absolute: absolute)
                continue
            }
            let step = BackwardStep(node: node, inputs: try node.inputs.map { try record.activation($0) },
                                    output: try record.activation(node.name),
                                    saved: record.saved[node.name] ?? [], gradient: gradient,
                                    parameters: parameters(of: node), wantsParameterGradients: parameterGradients)
            var result: LayerGradients
            var receivers = node.inputs
            if fusingReLUs, let (layer, relu, mode) = reluGate(below: node, rule: rule, composite: composite, seeds: seeds, stop: stop) {
                result = try layer.backward(step, through: ReLUBackwardGate(input: try record.activation(relu.inputs[0]), mode: mode))
                receivers = relu.inputs
                fused.insert(relu.name)
            } else {
                result = try rule.propagate(step)
            }
            for (input, inputGradient) in zip(receivers, result.inputs) {
                gradients[input] = try gradients[input].map { try backend.binary($0, inputGradient, .add) } ?? inputGradient
            }
            for (name, value) in result.parameters { parameterResults[node.parameterName(name)] = value }
        }
        return (BackwardResult(gradients: gradients, parameterGradients: parameterResults), statistics)
    }

    /// The ReLU whose backward pass `node` can fuse into its own: `node` is a
    /// ``ReLUGatedLayer`` passed by the gradient rule, and its one input is a ReLU
    /// that only it reads, that is neither seeded nor `stop`, and whose rule passes
    /// it as the gradient, guided or deconvnet does.
    private func reluGate(below node: Node, rule: any BackwardRule, composite: Composite, seeds: [String: Tensor],
                          stop: String?) -> (layer: any ReLUGatedLayer, relu: Node, mode: ReLUBackwardMode)? {
        guard rule is GradientRule, let layer = node.layer as? any ReLUGatedLayer, node.inputs.count == 1,
              let relu = try? self.node(named: node.inputs[0]), (relu.layer as? Activation)?.kind == .relu,
              relu.inputs.count == 1, relu.name != stop, seeds[relu.name] == nil,
              soleReader(of: relu.name)?.name == node.name else { return nil }
        switch composite.rule(for: relu) {
        case is GradientRule: return (layer, relu, .gradient)
        case let reluRule as ReLURule: return (layer, relu, reluRule.mode)
        default: return nil
        }
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
