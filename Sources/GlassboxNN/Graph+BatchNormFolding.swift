import GlassboxCore

extension Graph {
    /// The same function with every batch normalisation folded into the
    /// convolution or dense layer before it: W′ = W·s and b′ = (b − μ)·s + β per
    /// output channel, where s = γ/√(σ² + ε).
    ///
    /// LRP rules treat a convolution and its batch normalisation as one linear
    /// layer (Montavon et al. 2019, "Layer-wise relevance propagation: an
    /// overview", §10.3). This is the canonizer that makes them one, the
    /// counterpart of Zennit's `MergeBatchNorm`. A batch normalisation is folded
    /// when it reads a `Conv2D`, or a `Dense` with an N×features output, of which
    /// it is the only consumer; its consumers then read the folded layer, and the
    /// node disappears (if it was the output, the folded layer becomes the output).
    /// Any other batch normalisation stays. The folding runs on the device.
    public func foldingBatchNorm() throws -> Graph {
        var nodes = self.nodes, parameters = self.parameters, outputName = self.outputName
        for normalization in self.nodes {
            guard let batchNorm = normalization.layer as? BatchNorm,
                let index = nodes.firstIndex(where: { $0.name == normalization.inputs[0] }),
                let folded = Self.layer(nodes[index].layer, withBiasFor: shapes[nodes[index].name]!),
                consumers(of: nodes[index].name).count == 1
            else { continue }
            let producer = nodes[index]
            let (weight, bias) = try foldedParameters(of: producer, into: batchNorm, named: normalization.name)
            nodes[index].layer = folded
            parameters[producer.parameterName("weight")] = weight
            parameters[producer.parameterName("bias")] = bias
            for spec in batchNorm.parameterSpecs { parameters[normalization.parameterName(spec.name)] = nil }
            nodes.removeAll { $0.name == normalization.name }
            for position in nodes.indices {
                nodes[position].inputs = nodes[position].inputs.map { $0 == normalization.name ? producer.name : $0 }
            }
            if outputName == normalization.name { outputName = producer.name }
        }
        return try Graph(
            inputName: inputName, inputShape: inputShape, nodes: nodes, outputName: outputName,
            parameters: parameters, backend: backend)
    }

    /// `layer` with a bias, when it is a layer a batch normalisation folds into
    /// (a convolution, or a dense layer whose output is N×features); else nil.
    private static func layer(_ layer: any Layer, withBiasFor output: Shape) -> (any Layer)? {
        if var convolution = layer as? Conv2D {
            convolution.hasBias = true
            return convolution
        }
        if var dense = layer as? Dense, output.rank == 2 {
            dense.hasBias = true
            return dense
        }
        return nil
    }

    /// The weight and bias of `producer` with the batch normalisation named `name` folded in.
    private func foldedParameters(
        of producer: Node, into batchNorm: BatchNorm,
        named name: String
    ) throws -> (weight: Tensor, bias: Tensor) {
        func parameter(_ short: String) throws -> Tensor {
            guard let value = parameters["\(name).\(short)"] else {
                throw GlassboxError.invalidModel("parameter '\(name).\(short)' is missing")
            }
            return value
        }
        let weight = parameters[producer.parameterName("weight")]!
        let bias = try parameters[producer.parameterName("bias")] ?? backend.filled([batchNorm.channels], value: 0)
        let deviation = try backend.unary(
            try backend.affine(try parameter("variance"), scale: 1, shift: batchNorm.epsilon), .sqrt)
        let factor = try backend.binary(try parameter("scale"), deviation, .divide)
        let perRow = try factor.reshaped(
            Shape([batchNorm.channels] + Array(repeating: 1, count: weight.shape.rank - 1)))
        let centred = try backend.binary(bias, try parameter("mean"), .subtract)
        return (
            try backend.binary(weight, perRow, .multiply),
            try backend.binary(try backend.binary(centred, factor, .multiply), try parameter("offset"), .add)
        )
    }
}
