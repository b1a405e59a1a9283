import Foundation
import GlassboxCore
import Testing

@testable import GlassboxNN

/// A fixed standardisation in front of a model: the model then takes raw values.
@Suite("Input standardisation")
struct InputStandardizationTests {
    /// One dense layer 3 → 2 with known weights: logits = W·z + b.
    static func dense() throws -> Graph {
        let nodes = [Node("fc", Dense(3, 2), inputs: ["input"])]
        return try Graph(
            inputShape: [3], nodes: nodes,
            parameters: [
                "fc.weight": try upload([1, 2, 3, -1, 0, 0.5], [2, 3]), "fc.bias": try upload([0.25, -0.5], [2]),
            ], backend: cpu)
    }

    /// The standardised model gives the dense layer's output on (x − mean)/deviation worked out by
    /// hand; a zero deviation divides by 1 (as scikit-learn's `StandardScaler`).
    @Test func theModelSeesStandardizedValues() throws {
        let graph = try Self.dense().standardizingInput(mean: [10, -2, 0], standardDeviation: [2, 4, 0])
        let output = try values(try graph.predict(try upload([12, 2, 5, 10, -2, -1], [2, 3])))
        // Row 1: z = (1, 1, 5) → (1 + 2 + 15 + 0.25, −1 + 0 + 2.5 − 0.5); row 2: z = (0, 0, −1).
        #expect(output == [18.25, 1, -2.75, -1])
        #expect(graph.nodes.prefix(2).map(\.name) == ["standardize.center", "standardize.scale"])
        #expect(try graph.node(named: "fc").inputs == ["standardize.scale"])
    }

    /// Training leaves the standardisation alone, and the model file keeps it.
    @Test func theConstantsAreNotTrainableAndSurviveTheModelFile() throws {
        let plain = try Self.dense()
        let graph = try plain.standardizingInput(mean: [1, 2, 3], standardDeviation: [1, 2, 3])
        #expect(graph.trainableParameterNames.sorted() == plain.trainableParameterNames.sorted())
        let (decoded, _) = try ModelFile.decode(try ModelFile.encode(graph), backend: cpu)
        let input = try upload([4, 5, 6], [1, 3])
        #expect(try values(try decoded.predict(input)) == values(try graph.predict(input)))
    }

    @Test func mismatchedStatisticsAreRefused() throws {
        let graph = try Self.dense()
        #expect(throws: GlassboxError.self) { try graph.standardizingInput(mean: [0, 0], standardDeviation: [1, 1]) }
        #expect(throws: GlassboxError.self) {
            try graph.standardizingInput(mean: [0, 0, .nan], standardDeviation: [1, 1, 1])
        }
        #expect(throws: GlassboxError.self) {
            try graph.standardizingInput(mean: [0, 0, 0], standardDeviation: [1, -1, 1])
        }
        let twice = try graph.standardizingInput(mean: [0, 0, 0], standardDeviation: [1, 1, 1])
        #expect(throws: GlassboxError.self) {
            try twice.standardizingInput(mean: [0, 0, 0], standardDeviation: [1, 1, 1])
        }
    }

    /// The MLPs take a table's rows; the CNNs still need images.
    @Test func theMLPsTakeFeatureVectors() throws {
        for architecture in [Architecture.mlp, .bayesMLP] {
            let nodes = try architecture.nodes(inputShape: [30], classes: 2)
            let graph = try Graph.initialized(inputShape: [30], nodes: nodes, seed: 0, backend: cpu)
            #expect(graph.shapes[graph.outputName] == [1, 2])
            #expect(graph.shapes["flatten"] == [1, 30] && graph.shapes["fc1"] == [1, 128])
        }
        #expect(throws: GlassboxError.invalidArgument("architecture small-cnn needs C×H×W inputs, got (30)")) {
            try Architecture.smallCNN.nodes(inputShape: [30], classes: 2)
        }
        #expect(throws: GlassboxError.self) { try Architecture.mlp.nodes(inputShape: [5, 6], classes: 2) }
    }
}
