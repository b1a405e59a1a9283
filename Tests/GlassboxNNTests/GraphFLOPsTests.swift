import GlassboxCore
import Testing

@testable import GlassboxNN

/// `Graph.forwardFLOPs(of:)` counts what its documentation says, node by node.
@Suite("Forward FLOPs")
struct GraphFLOPsTests {
    /// One attention head on 5 tokens of 6 features, counted by hand: the matrix products
    /// at 2 per multiply-add (biases not counted), the rest per element.
    @Test func anAttentionHeadIsCountedByHand() throws {
        let nodes = [
            Node("q", Dense(6, 4, hasBias: false), inputs: ["input"]),  // 2·(5·4)·6 = 240
            Node("k", Dense(6, 4), inputs: ["input"]),  // 240
            Node("scores", BatchedMatMul(transposeRight: true), inputs: ["q", "k"]),  // 2·(5·5)·4 = 200
            Node("weights", Softmax(axis: 2), inputs: ["scores"]),  // 5·25 = 125 elementwise
            Node("mixed", BatchedMatMul(), inputs: ["weights", "q"]),  // 2·(5·4)·5 = 200
            Node("gram", BatchedMatMul(transposeLeft: true), inputs: ["q", "q"]),  // qᵀ·q: 2·(4·4)·5 = 160
            Node(
                "norm", LayerNormalization(axis: -1, normalizedShape: [4], hasBias: true),
                inputs: ["mixed"]),  // 7·20 = 140
            Node("gelu", Activation(.gelu(tanhApproximation: false)), inputs: ["norm"]),  // 20
            Node("scaled", Arithmetic(.multiply, constantShape: [1]), inputs: ["gelu"]),  // 20
            Node("sum", Add(), inputs: ["scaled", "mixed"]),  // 20
            Node("flat", Reshape.flatten, inputs: ["sum"]),  // 0
            Node("mean", Reduction(.mean, axes: [1], keepDimensions: true), inputs: ["flat"]),  // 20
        ]
        let graph = try Graph.initialized(
            inputShape: [5, 6], nodes: nodes, outputName: "mean", seed: 0, backend: CPUBackend.shared)
        let counts = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.name, graph.forwardFLOPs(of: $0)) })
        #expect(counts["scores"]?.products == 200 && counts["mixed"]?.products == 200)
        #expect(counts["gram"]?.products == 160)
        #expect(counts["norm"]?.elementwise == 140 && counts["weights"]?.elementwise == 125)
        #expect(counts["flat"]?.products == 0 && counts["flat"]?.elementwise == 0)
        #expect(graph.forwardFLOPsPerSample == 240 + 240 + 200 + 200 + 160)
        #expect(graph.forwardElementwiseFLOPsPerSample == 125 + 140 + 20 + 20 + 20 + 20)
    }
}
