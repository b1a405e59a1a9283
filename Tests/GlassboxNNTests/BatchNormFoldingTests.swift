import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// `Graph.foldingBatchNorm()` computes the same function with the batch norms
/// that can be folded gone, and leaves the others.
@Suite("Batch-norm folding")
struct BatchNormFoldingTests {
    @Test func foldsIntoConvolutionsAndDenseLayersWithAndWithoutBias() throws {
        let nodes = [
            Node(
                "conv",
                Conv2D(
                    inputChannels: 2, outputChannels: 3, window: Window2D(kernel: 3, padding: 1), groups: 1,
                    hasBias: false),
                inputs: ["input"]),
            Node("bn1", BatchNorm(channels: 3), inputs: ["conv"]), Node("relu", Activation.relu, inputs: ["bn1"]),
            Node("flatten", Reshape.flatten, inputs: ["relu"]), Node("fc", Dense(48, 5), inputs: ["flatten"]),
            Node("bn2", BatchNorm(channels: 5, epsilon: 1e-3), inputs: ["fc"]),
        ]
        let graph = try makeGraph(inputShape: [2, 4, 4], nodes: nodes, seed: 4)
        let folded = try graph.foldingBatchNorm()
        #expect(folded.nodes.map(\.name) == ["conv", "relu", "flatten", "fc"])
        #expect(folded.outputName == "fc")
        #expect((try folded.node(named: "conv").layer as? Conv2D)?.hasBias == true)
        var generator = SplitMix64(seed: 2)
        let x = try upload(generator.floats(3 * 32), [3, 2, 4, 4])
        #expect(
            normalisedError(try values(folded.forward(x).output), try values(graph.forward(x).output).map(Double.init))
                < 1e-5)
    }

    @Test func leavesBatchNormsThatCannotBeFolded() throws {
        let nodes = [
            Node("conv", Conv2D(2, 2, kernel: 3, padding: 1), inputs: ["input"]),
            Node("bn1", BatchNorm(channels: 2), inputs: ["conv"]),
            Node("sum", Add(), inputs: ["conv", "bn1"]),  // conv has a second consumer
            Node("bn2", BatchNorm(channels: 2), inputs: ["sum"]),  // an addition is not linear with weights
        ]
        let graph = try makeGraph(inputShape: [2, 3, 3], nodes: nodes)
        #expect(try graph.foldingBatchNorm().nodes.map(\.name) == ["conv", "bn1", "sum", "bn2"])
    }
}
