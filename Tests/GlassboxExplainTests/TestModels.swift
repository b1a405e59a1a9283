import GlassboxConformance
import GlassboxCore
import GlassboxNN

/// Small models with deterministic weights for the attribution tests.
enum TestModels {
    /// conv 4 → ReLU → conv 6 → ReLU → global average pool → flatten → dense 3,
    /// on 2×6×6 inputs: a net CAM applies to.
    static func pooledCNN(backend: any Backend = CPUBackend.shared, seed: UInt64 = 5) throws -> Graph {
        let nodes = Graph.sequentialNodes([
            ("conv1", Conv2D(2, 4, kernel: 3, padding: 1)), ("relu1", Activation.relu),
            ("conv2", Conv2D(4, 6, kernel: 3, padding: 1)), ("relu2", Activation.relu),
            ("pool", GlobalAveragePool()), ("flatten", Reshape.flatten), ("logits", Dense(6, 3)),
        ])
        return try Graph.initialized(inputShape: [2, 6, 6], nodes: nodes, seed: seed, backend: backend)
    }

    /// dense → tanh → dense on 5 features: smooth, so path integrals converge.
    static func smoothMLP(backend: any Backend = CPUBackend.shared) throws -> Graph {
        let nodes = Graph.sequentialNodes([
            ("hidden", Dense(5, 8)), ("tanh", Activation(.tanh)), ("logits", Dense(8, 2)),
        ])
        return try Graph.initialized(inputShape: [5], nodes: nodes, seed: 11, backend: backend)
    }

    /// conv 4 → batch norm → ReLU → (conv 4 → batch norm) + skip → ReLU → max-pool 2 →
    /// global average pool → flatten → dense 3 on 2×6×6 inputs: a residual net with
    /// max pooling. The batch norms get random statistics unless `biasFree`, which
    /// leaves them out and takes every bias away (a net that conserves relevance exactly).
    static func residualCNN(backend: any Backend = CPUBackend.shared, biasFree: Bool = false) throws -> Graph {
        func conv(_ input: Int, _ output: Int) -> Conv2D {
            Conv2D(
                inputChannels: input, outputChannels: output, window: Window2D(kernel: 3, padding: 1),
                hasBias: !biasFree)
        }
        var nodes = [Node("conv1", conv(2, 4), inputs: ["input"])]
        if !biasFree { nodes.append(Node("bn1", BatchNorm(channels: 4), inputs: ["conv1"])) }
        nodes.append(Node("relu1", Activation.relu, inputs: [biasFree ? "conv1" : "bn1"]))
        nodes.append(Node("conv2", conv(4, 4), inputs: ["relu1"]))
        if !biasFree { nodes.append(Node("bn2", BatchNorm(channels: 4), inputs: ["conv2"])) }
        nodes += [
            Node("sum", Add(), inputs: [biasFree ? "conv2" : "bn2", "relu1"]),
            Node("relu2", Activation.relu, inputs: ["sum"]),
            Node("pool", Pool2D.max(2), inputs: ["relu2"]), Node("gap", GlobalAveragePool(), inputs: ["pool"]),
            Node("flatten", Reshape.flatten, inputs: ["gap"]),
            Node("logits", Dense(4, 3, hasBias: !biasFree), inputs: ["flatten"]),
        ]
        var graph = try Graph.initialized(inputShape: [2, 6, 6], nodes: nodes, seed: 21, backend: backend)
        var parameters = graph.parameters
        var generator = SplitMix64(seed: 9)
        for name in ["bn1", "bn2"] where !biasFree {
            for (parameter, low, high) in [
                ("scale", 0.5, 1.5), ("offset", -0.3, 0.3), ("mean", -0.3, 0.3), ("variance", 0.5, 2.0),
            ] {
                parameters["\(name).\(parameter)"] = try backend.upload(generator.floats(4, low, high), shape: [4])
            }
        }
        try graph.setParameters(parameters)
        return graph
    }

    /// Deterministic inputs of `shape` in [−1, 1].
    static func inputs(_ shape: Shape, seed: UInt64 = 3, backend: any Backend = CPUBackend.shared) throws -> Tensor {
        var generator = SplitMix64(seed: seed)
        return try backend.upload(generator.floats(shape.count), shape: shape)
    }
}
