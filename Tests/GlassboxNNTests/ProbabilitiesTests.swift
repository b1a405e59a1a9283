import Foundation
import GlassboxCore
import Testing

@testable import GlassboxNN

/// `Graph.probabilities(from:)` reads a graph's output as class probabilities by the graph's last layer.
@Suite("Class probabilities")
struct ProbabilitiesTests {
    static func graph(ending last: (any Layer)?) throws -> Graph {
        var nodes = [Node("logits", Dense(3, 4), inputs: ["input"])]
        if let last { nodes.append(Node("last", last, inputs: ["logits"])) }
        return try makeGraph(inputShape: [3], nodes: nodes)
    }

    @Test func logitsSoftmaxAndLogSoftmaxGiveTheSameDistribution() throws {
        let x = try upload([0.5, -1, 2, 1, 0, -0.5], [2, 3])
        let reference = try values(
            try Self.graph(ending: nil).probabilities(from: try Self.graph(ending: nil).predict(x)))
        for layer in [Softmax(), Softmax(logarithm: true)] {
            let model = try Self.graph(ending: layer)
            let candidate = try values(try model.probabilities(from: try model.predict(x)))
            #expect(zip(candidate, reference).allSatisfy { abs($0 - $1) < 1e-6 }, "\(layer)")
        }
        for row in 0..<2 { #expect(abs(reference[(row * 4)..<(row * 4 + 4)].reduce(0, +) - 1) < 1e-6) }
        #expect(throws: GlassboxError.self) {
            try Self.graph(ending: nil).probabilities(from: try upload([1, 2], [2]))
        }
    }
}
