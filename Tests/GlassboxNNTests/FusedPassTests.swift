import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// The fused passes of a graph against the unfused ones: ReLUs passed inside the
/// backward pass of the convolution or pooling after them, noisy copies drawn in
/// the first convolution's input read, and input gradients reduced over the copies.
/// On the CPU each fused operation is its composition, so fused and unfused walks
/// must agree bit for bit; what these tests check is which nodes the graph fuses
/// and where it sends their gradients.
@Suite("Fused forward and backward passes")
struct FusedPassTests {
    /// input 2×8×8 → conv1 → relu1 → conv2 → relu2 → pool (max) → relu3 → conv3 → add(conv3, relu3)
    /// → relu4 → pool2 (average) → flatten → dense → relu5 → logits. relu1, relu2 and relu4 each feed
    /// only a convolution or a pooling (fused); relu3 feeds two nodes and relu5 a dense layer (not fused).
    static func network() throws -> Graph {
        try makeGraph(
            inputShape: [2, 8, 8],
            nodes: [
                Node("conv1", Conv2D(2, 4, kernel: 3, padding: 1), inputs: ["input"]),
                Node("relu1", Activation.relu, inputs: ["conv1"]),
                Node("conv2", Conv2D(4, 4, kernel: 3, padding: 1), inputs: ["relu1"]),
                Node("relu2", Activation.relu, inputs: ["conv2"]),
                Node("pool", Pool2D.max(2), inputs: ["relu2"]),
                Node("relu3", Activation.relu, inputs: ["pool"]),
                Node("conv3", Conv2D(4, 4, kernel: 3, stride: 1, padding: 1), inputs: ["relu3"]),
                Node("add", Add(), inputs: ["conv3", "relu3"]),
                Node("relu4", Activation.relu, inputs: ["add"]),
                Node("pool2", Pool2D.average(2), inputs: ["relu4"]),
                Node("flatten", Reshape([16]), inputs: ["pool2"]),
                Node("dense", Dense(16, 6), inputs: ["flatten"]),
                Node("relu5", Activation.relu, inputs: ["dense"]),
                Node("logits", Dense(6, 3), inputs: ["relu5"]),
            ], seed: 51)
    }

    static let composites: [(String, Composite)] = [
        ("gradient", .gradient), ("guided", .guided), ("deconvnet", .deconvnet),
    ]

    @Test("ReLUs that feed only a convolution or a pooling are fused, with the same input gradient", arguments: 0..<3)
    func fusedReLUs(composite index: Int) throws {
        let graph = try Self.network()
        var generator = SplitMix64(seed: 52)
        let record = try graph.forward(try upload(generator.floats(3 * 128), [3, 2, 8, 8]))
        let seeds = ["logits": try upload(generator.floats(9), [3, 3])]
        let composite = Self.composites[index].1
        let plain = try graph.backward(record, seeds: seeds, composite: composite)
        let fused = try graph.backward(record, seeds: seeds, composite: composite, fusingReLUs: true)
        #expect(try bitPatterns(try fused.gradient(at: "input")) == bitPatterns(try plain.gradient(at: "input")))
        for name in ["relu1", "relu2", "relu4"] { #expect(fused.gradients[name] == nil, "\(name) is fused") }
        for name in ["relu3", "relu5", "conv1", "pool"] {
            #expect(
                try bitPatterns(try fused.gradient(at: name)) == bitPatterns(try plain.gradient(at: name)), "\(name)")
        }
    }

    @Test("a stop, a seed or a rule other than a ReLU rule keeps the ReLU unfused")
    func unfusedReLUs() throws {
        let graph = try Self.network()
        var generator = SplitMix64(seed: 53)
        let record = try graph.forward(try upload(generator.floats(128), [1, 2, 8, 8]))
        let seed = try upload(generator.floats(3), [1, 3])
        let stopped = try graph.backward(record, seeds: ["logits": seed], stoppingAt: "relu2", fusingReLUs: true)
        #expect(stopped.gradients["relu2"] != nil)
        let seeded = try graph.backward(
            record, seeds: ["logits": seed, "relu4": try upload(generator.floats(64), [1, 4, 4, 4])],
            fusingReLUs: true)
        #expect(seeded.gradients["relu4"] != nil)
        #expect(seeded.gradients["relu1"] == nil)
        let convolutionRule = Composite([(.layerType(Conv2D.typeName), ReLURule(.guided))])
        #expect(
            try graph.backward(record, seeds: ["logits": seed], composite: convolutionRule, fusingReLUs: true)
                .gradients["relu1"] != nil)
        let scaledReLU = Composite([(.name("relu1"), ScaledGradientRule())])
        let scaled = try graph.backward(record, seeds: ["logits": seed], composite: scaledReLU, fusingReLUs: true)
        let plain = try graph.backward(record, seeds: ["logits": seed], composite: scaledReLU)
        #expect(scaled.gradients["relu1"] != nil)
        #expect(try bitPatterns(try scaled.gradient(at: "input")) == bitPatterns(try plain.gradient(at: "input")))
    }

    /// The fused steps a walk of `graph` takes, as "node: ReLU mode" and "node: statistics".
    private static func fusedSteps(
        _ graph: Graph, composite: Composite, seeds: Set<String> = ["logits"], stop: String? = nil,
        fusingReLUs: Bool = true, statistics: Bool = false
    ) -> [String: String] {
        graph.fusionPlan.steps(
            composite: composite, seeds: seeds, stop: stop, fusingReLUs: fusingReLUs,
            input: statistics ? .statistics(absolute: false) : .tensor
        ).mapValues { step in
            switch step {
            case .throughReLU(_, let relu, let mode): "\(relu.name) \(mode.rawValue)"
            case .inputStatistics: "statistics"
            }
        }
    }

    @Test("the fusion plan is found once per graph, and each walk takes the steps its rules allow")
    func fusionPlan() throws {
        let graph = try Self.network()
        #expect(graph.fusionPlan.noisyInputReader?.node.name == "conv1")
        let gates = graph.fusionPlan.reluGates.map { "\($0.node.name) ← \($0.relu.name)" }
        #expect(Set(gates) == ["conv2 ← relu1", "pool ← relu2", "pool2 ← relu4"])
        let plain = ["conv2": "relu1 gradient", "pool": "relu2 gradient", "pool2": "relu4 gradient"]
        #expect(Self.fusedSteps(graph, composite: .gradient) == plain)
        #expect(
            Self.fusedSteps(graph, composite: .guided) == plain.mapValues { $0.replacing("gradient", with: "guided") })
        #expect(Self.fusedSteps(graph, composite: .gradient, fusingReLUs: false).isEmpty)
        #expect(
            Self.fusedSteps(graph, composite: .gradient, statistics: true)
                == plain.merging(["conv1": "statistics"]) { $1 })
        #expect(Self.fusedSteps(graph, composite: .gradient, stop: "relu2")["pool"] == nil)
        #expect(Self.fusedSteps(graph, composite: .gradient, seeds: ["logits", "relu4"])["pool2"] == nil)
        let guidedFirstLayer = Composite([(.name("conv1"), ReLURule(.guided)), (.name("pool"), ScaledGradientRule())])
        let steps = Self.fusedSteps(graph, composite: guidedFirstLayer, statistics: true)
        #expect(steps["conv1"] == nil && steps["pool"] == nil && steps["conv2"] == "relu1 gradient")
        // A dense layer cannot reduce the noisy input itself, and no ReLU feeds a convolution or pooling.
        let dense = try makeGraph(
            inputShape: [6],
            nodes: Graph.sequentialNodes([("fc1", Dense(6, 5)), ("relu", Activation.relu), ("fc2", Dense(5, 3))]))
        #expect(dense.fusionPlan.noisyInputReader == nil && dense.fusionPlan.reluGates.isEmpty)
    }

    @Test("a forward pass on noisy copies equals the pass on the copies made")
    func noisyForward() throws {
        let graph = try Self.network()
        var generator = SplitMix64(seed: 54)
        let batch = try NoisyBatch(
            try upload(generator.floats(128), [1, 2, 8, 8]), count: 5, standardDeviation: 0.3,
            stream: RandomStream(seed: 8, stream: 3, offset: 11))
        let noisy = try graph.forward(batch)
        let made = try graph.forward(try batch.materialized())
        #expect(noisy.outputs["input"] == nil)
        #expect(noisy.inputShape == [5, 2, 8, 8])
        #expect(try bitPatterns(noisy.output) == bitPatterns(made.output))
        #expect(try bitPatterns(try noisy.activation("input")) == bitPatterns(try made.activation("input")))
        let chunk = try graph.forward(try batch.samples(2..<5))
        #expect(try bitPatterns(chunk.output) == Array(try bitPatterns(made.output)[6...]))
    }

    @Test("input-gradient statistics equal the statistics of the input gradients", arguments: [false, true])
    func inputStatistics(absolute: Bool) throws {
        var generator = SplitMix64(seed: 55)
        let convolutional = try Self.network()
        // A dense layer reads the input of the second graph, so its gradients are reduced after the walk.
        let dense = try makeGraph(
            inputShape: [6],
            nodes: Graph.sequentialNodes([
                ("fc1", Dense(6, 5)), ("relu", Activation.relu), ("fc2", Dense(5, 3)),
            ]), seed: 56)
        for graph in [convolutional, dense] {
            let sample = Shape([1] + graph.inputShape.dimensions)
            let batch = try NoisyBatch(
                try upload(generator.floats(sample.count), sample), count: 7, standardDeviation: 0.5,
                stream: RandomStream(seed: 2))
            let record = try graph.forward(batch)
            let seeds = [graph.outputName: try graph.oneHotSeed(targets: Array(repeating: 1, count: 7), classes: 3)]
            for (_, composite) in Self.composites {
                let statistics = try graph.inputGradientStatistics(
                    record, seeds: seeds, composite: composite, absolute: absolute)
                let gradient = try graph.backward(record, seeds: seeds, composite: composite).gradient(at: "input")
                let expected = try cpu.sampleStatistics(absolute ? try cpu.unary(gradient, .abs) : gradient)
                #expect(statistics.count == 7)
                #expect(try bitPatterns(statistics.mean) == bitPatterns(expected.mean))
                #expect(
                    try bitPatterns(statistics.sumOfSquaredDeviations) == bitPatterns(expected.sumOfSquaredDeviations))
            }
        }
    }
}

/// The gradient of a ReLU, doubled: a rule the fusion must not replace by the ReLU's own.
private struct ScaledGradientRule: BackwardRule {
    func propagate(_ step: BackwardStep) throws -> LayerGradients {
        let gradient = try step.layer.backward(step).inputs[0]
        return LayerGradients(inputs: [try step.backend.affine(gradient, scale: 2, shift: 0)])
    }
}
