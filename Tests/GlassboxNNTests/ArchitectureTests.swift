import GlassboxCore
import Testing

@testable import GlassboxNN

/// The built-in architectures have the published sizes.
@Suite("Architectures")
struct ArchitectureTests {
    /// torchvision's ResNet-18 has 11 689 512 parameters and 1.814 G multiply-adds at 224×224;
    /// our count adds the running means and variances of its 4 800 batch-norm channels.
    @Test func resNet18MatchesTorchvision() throws {
        let nodes = try Architecture.resnet18.nodes(inputShape: [3, 224, 224], classes: 1000)
        let graph = try Graph.initialized(inputShape: [3, 224, 224], nodes: nodes, seed: 0, backend: CPUBackend.shared)
        #expect(graph.parameterCount == 11_689_512 + 2 * 4_800)
        #expect(graph.shapes[graph.outputName] == [1, 1000])
        #expect(
            abs(graph.forwardFLOPsPerSample / 2 - 1.814e9) < 0.01e9, "\(graph.forwardFLOPsPerSample / 2) multiply-adds")
    }

    @Test func cifarCNNHasItsLayers() throws {
        let nodes = try Architecture.cifarCNN.nodes(inputShape: [3, 32, 32], classes: 10)
        let graph = try Graph.initialized(inputShape: [3, 32, 32], nodes: nodes, seed: 0, backend: CPUBackend.shared)
        #expect(
            graph.nodes.filter { $0.layer is Conv2D }.count == 5 && graph.nodes.filter { $0.layer is Dense }.count == 2)
        #expect(graph.shapes["flatten"] == [1, 2048])
        #expect(throws: GlassboxError.self) { try Architecture.cifarCNN.nodes(inputShape: [3, 30, 30], classes: 10) }
    }
}
