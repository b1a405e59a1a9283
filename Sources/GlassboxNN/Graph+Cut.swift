import GlassboxCore

extension Graph {
    /// The values computed before the node `name` that the nodes after it read besides `name`
    /// itself (the graph input, or a padding mask made from it), in topological order: empty
    /// when the rest of the graph sees the input only through `name`.
    public func sideValues(after name: String) throws -> [String] {
        let after = try nodesAfter(name)
        let inside = Set(after.map(\.name)).union([name])
        var seen = Set<String>()
        return after.flatMap(\.inputs).filter { !inside.contains($0) && seen.insert($0).inserted }
    }

    /// The part of the graph after the node `name`, as a graph whose input is that node's
    /// output: what Captum's layer methods (`LayerIntegratedGradients`,
    /// `LayerGradientXActivation`) differentiate when they attribute to a layer, here the
    /// embedding of a text model.
    ///
    /// The new graph's input is named `name`, so the nodes after it read it unchanged, and it
    /// ends at this graph's output, which must depend on `name`. Values computed before the
    /// cut by another path (``sideValues(after:)``) are taken from `record`, a forward pass
    /// of ONE sample, and become constants repeated for every sample (`SampleConstant`
    /// nodes of the same names): as in Captum, where such a value (a padding mask) comes from
    /// the explained input while the layer's output is replaced. Without side values
    /// `record` is not needed.
    ///
    /// The node's output must hold one row per sample (axis 0 of extent 1 for one sample),
    /// so that a batch of its values is a batch of the new graph.
    public func suffix(after name: String, sideValuesFrom record: ForwardRecord? = nil) throws -> Graph {
        let after = try nodesAfter(name)
        guard after.contains(where: { $0.name == outputName }) else {
            throw GlassboxError.invalidArgument("the model's output '\(outputName)' does not depend on node '\(name)'")
        }
        let cutShape = shapes[name]!
        guard cutShape.rank >= 2, cutShape[0] == 1 else {
            throw GlassboxError.invalidArgument(
                "node '\(name)' holds \(cutShape[0]) rows per sample; only a node with one row per sample can be explained"
            )
        }
        var nodes = after, values = [String: Tensor]()
        for node in after {
            for spec in node.layer.parameterSpecs {
                let parameter = node.parameterName(spec.name)
                values[parameter] = parameters[parameter]
            }
        }
        for side in try sideValues(after: name) {
            guard let record else {
                throw GlassboxError.invalidArgument(
                    "the nodes after '\(name)' also read '\(side)'; explaining '\(name)' needs the explained input's forward pass"
                )
            }
            let value = try record.activation(side)
            guard value.shape == shapes[side]! else {
                throw GlassboxError.shapeMismatch(
                    "the side value '\(side)' of a cut at '\(name)' needs a forward pass of one sample, got \(value.shape)"
                )
            }
            let constant = Node(
                side, SampleConstant(valueShape: value.shape, referenceElements: cutShape.count), inputs: [name])
            nodes.insert(constant, at: 0)
            values[constant.parameterName("value")] = value
        }
        return try Graph(
            inputName: name, inputShape: cutShape.sampleShape, nodes: nodes, outputName: outputName,
            parameters: values, backend: backend)
    }

    /// The nodes that depend on the node `name`, in topological order.
    private func nodesAfter(_ name: String) throws -> [Node] {
        _ = try node(named: name)
        var reached: Set = [name]
        return nodes.filter { node in
            guard node.inputs.contains(where: reached.contains) else { return false }
            reached.insert(node.name)
            return true
        }
    }
}
