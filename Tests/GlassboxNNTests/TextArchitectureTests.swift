import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// The built-in text classifiers build, keep their embedding and dropout, and learn a task that
/// needs word identity: the class is which of three key words the sequence holds.
@Suite("Text architectures")
struct TextArchitectureTests {
    /// Sequences of 8 ids from a vocabulary of 20 (`<pad>` = 0): filler ids 5…19, padded at the end,
    /// with one key word (id 2, 3 or 4 = the class) at a random place.
    static func keyWordTask(count: Int, seed: UInt64) throws -> LabeledSamples {
        var generator = SplitMix64(seed: seed)
        var values = [Float](), labels = [Int]()
        for _ in 0..<count {
            let length = Int.random(in: 3...8, using: &generator), label = Int.random(in: 0..<3, using: &generator)
            var ids = (0..<length).map { _ in Float(Int.random(in: 5..<20, using: &generator)) }
            ids[Int.random(in: 0..<length, using: &generator)] = Float(2 + label)
            values += ids + Array(repeating: 0, count: 8 - length)
            labels.append(label)
        }
        return try LabeledSamples(values: values, labels: labels, sampleShape: [8])
    }

    @Test(arguments: TextArchitecture.allCases)
    func buildsWithAnEmbeddingAndDropout(_ architecture: TextArchitecture) throws {
        let graph = try architecture.graph(
            sequenceLength: 8, vocabularySize: 20, classes: 3, seed: 1, backend: CPUBackend.shared)
        #expect(graph.inputShape == [8] && graph.shapes[graph.outputName] == [1, 3])
        #expect(try graph.node(named: "embedding").layer is Embedding)
        #expect(graph.nodes.contains { $0.layer is Dropout })
        #expect(try graph.suffix(after: "embedding").inputShape == [8, TextArchitecture.embeddingDimension])
        // The padding row starts at zero.
        let table = try graph.parameters["embedding.weight"]!.toArray()
        #expect(table.prefix(TextArchitecture.embeddingDimension).allSatisfy { $0 == 0 })
    }

    @Test(arguments: TextArchitecture.allCases)
    func learnsWhichKeyWordASequenceHolds(_ architecture: TextArchitecture) throws {
        var graph = try architecture.graph(
            sequenceLength: 8, vocabularySize: 20, classes: 3, seed: 2, backend: CPUBackend.shared)
        let training = try Self.keyWordTask(count: 192, seed: 3), testing = try Self.keyWordTask(count: 96, seed: 4)
        var trainer = Trainer(optimizer: Adam(learningRate: 6e-3), batchSize: 32, seed: 5)
        var last: EpochReport?
        try trainer.train(&graph, on: training, testing: testing, epochs: 8, report: { last = $0 })
        #expect((last?.testAccuracy ?? 0) > 0.9, "\(architecture.rawValue): \(String(describing: last))")
    }
}
