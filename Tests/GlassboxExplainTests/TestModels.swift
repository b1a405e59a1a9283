import GlassboxCore
import GlassboxNN
import GlassboxTestSupport

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
        let nodes = Graph.sequentialNodes([("hidden", Dense(5, 8)), ("tanh", Activation(.tanh)), ("logits", Dense(8, 2))])
        return try Graph.initialized(inputShape: [5], nodes: nodes, seed: 11, backend: backend)
    }

    /// Deterministic inputs of `shape` in [−1, 1].
    static func inputs(_ shape: Shape, seed: UInt64 = 3, backend: any Backend = CPUBackend.shared) throws -> Tensor {
        var generator = SplitMix64(seed: seed)
        return try backend.upload(generator.floats(shape.count), shape: shape)
    }
}
