import GlassboxCore

extension Graph {
    /// Builds a graph with freshly initialised parameters: He-normal weights
    /// (He et al. 2015), uniform and normal ones drawn from substream k of `seed` for
    /// node k, and the constants the layers ask for.
    public static func initialized(
        inputName: String = "input", inputShape: Shape, nodes: [Node], outputName: String? = nil,
        seed: UInt64, backend: any Backend
    ) throws -> Graph {
        var parameters = [String: Tensor]()
        for (index, node) in nodes.enumerated() {
            for (specIndex, spec) in node.layer.parameterSpecs.enumerated() {
                let value: Tensor =
                    switch spec.initialization {
                    case .heNormal(let fanIn):
                        try backend.randomNormal(
                            spec.shape, mean: 0, standardDeviation: (2 / Float(max(fanIn, 1))).squareRoot(),
                            stream: RandomStream(seed: seed, stream: UInt32(index * 16 + specIndex)))
                    case .constant(let constant):
                        try backend.filled(spec.shape, value: constant)
                    case .uniform(let bound):
                        try backend.affine(
                            try backend.randomUniform(
                                spec.shape, stream: RandomStream(seed: seed, stream: UInt32(index * 16 + specIndex))),
                            scale: 2 * bound, shift: -bound)
                    case .normal(let deviation, let zeroRow):
                        try backend.randomNormal(
                            spec.shape, mean: 0, standardDeviation: deviation,
                            stream: RandomStream(seed: seed, stream: UInt32(index * 16 + specIndex))
                        ).zeroingRow(zeroRow)
                    }
                parameters[node.parameterName(spec.name)] = value
            }
        }
        return try Graph(
            inputName: inputName, inputShape: inputShape, nodes: nodes, outputName: outputName,
            parameters: parameters, backend: backend)
    }

    /// A chain of layers, each reading the one before; the first reads the input.
    public static func sequentialNodes(_ layers: [(String, any Layer)], inputName: String = "input") -> [Node] {
        var previous = inputName
        return layers.map { name, layer in
            defer { previous = name }
            return Node(name, layer, inputs: [previous])
        }
    }
}
