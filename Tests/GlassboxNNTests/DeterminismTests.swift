import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Everything random in a graph comes from the seed: stochastic passes repeat,
/// chunks with matching offsets equal the whole batch, and training repeats
/// bit for bit.
@Suite("Determinism")
struct DeterminismTests {
    func dropoutGraph() throws -> Graph {
        try Graph.initialized(
            inputShape: [12],
            nodes: Graph.sequentialNodes([
                ("fc", Dense(12, 16)), ("relu", Activation.relu), ("drop", Dropout(0.5)), ("out", Dense(16, 3)),
            ]), seed: 9, backend: cpu)
    }

    @Test func stochasticPassesRepeatAndChunksEqualTheWholeBatch() throws {
        let graph = try dropoutGraph()
        var generator = SplitMix64(seed: 1)
        let values = generator.floats(10 * 12)
        let stream = RandomStream(seed: 77)
        let whole = try graph.forward(try cpu.upload(values, shape: [10, 12]), mode: .stochastic, randomStream: stream)
            .output.toArray()
        let again = try graph.forward(try cpu.upload(values, shape: [10, 12]), mode: .stochastic, randomStream: stream)
            .output.toArray()
        #expect(whole == again)
        let head = try graph.forward(
            try cpu.upload(Array(values[0..<48]), shape: [4, 12]), mode: .stochastic,
            randomStream: stream
        ).output.toArray()
        let tail = try graph.forward(
            try cpu.upload(Array(values[48...]), shape: [6, 12]), mode: .stochastic,
            randomStream: stream, sampleOffset: 4
        ).output.toArray()
        #expect(head + tail == whole)
        let inference = try graph.forward(try cpu.upload(values, shape: [10, 12])).output.toArray()
        #expect(inference != whole)
    }

    @Test func initializationAndTrainingRepeatFromTheSeed() throws {
        var generator = SplitMix64(seed: 5)
        let labels = (0..<64).map { _ in generator.index(3) }
        let samples = try LabeledSamples(values: generator.floats(64 * 12), labels: labels, sampleShape: [12])
        func trainedParameters() throws -> [String: [UInt32]] {
            var graph = try dropoutGraph()
            var trainer = Trainer(optimizer: Adam(learningRate: 0.01), batchSize: 16, seed: 3)
            try trainer.train(&graph, on: samples, epochs: 2)
            return try graph.parameters.mapValues { try $0.toArray().map(\.bitPattern) }
        }
        #expect(try trainedParameters() == trainedParameters())
    }
}
