import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Gradient, Guided Backpropagation and Deconvnet on hand-computed cases, and
/// how composites pick the rule of each node.
@Suite("Backward rules and composites")
struct BackwardRuleTests {
    /// input (2) → fc1 (4) → relu → fc2 (1), with
    /// W1 = [[1, 0], [0, 1], [1, 1], [−1, 0]], b1 = [0, 0, −4, 0], W2 = [[2, −3, 5, −7]], b2 = [0.5].
    ///
    /// At x = [1, 2]: fc1 = [1, 2, −1, −1] (units 0 and 1 on, 2 and 3 off), and the
    /// gradient arriving at the ReLU output (seed 1) is g = W2 = [2, −3, 5, −7]:
    /// every combination of sign(x) and sign(g).
    static func tinyNetwork() throws -> Graph {
        let nodes = Graph.sequentialNodes([("fc1", Dense(2, 4)), ("relu", Activation.relu), ("fc2", Dense(4, 1))])
        return try Graph(
            inputShape: [2], nodes: nodes,
            parameters: [
                "fc1.weight": try upload([1, 0, 0, 1, 1, 1, -1, 0], [4, 2]),
                "fc1.bias": try upload([0, 0, -4, 0], [4]),
                "fc2.weight": try upload([2, -3, 5, -7], [1, 4]),
                "fc2.bias": try upload([0.5], [1]),
            ], backend: cpu)
    }

    /// The backward pass of the tiny network from seed 1 under `composite`.
    static func run(_ composite: Composite, graph: Graph? = nil) throws -> BackwardResult {
        let graph = try graph ?? tinyNetwork()
        let record = try graph.forward(try upload([1, 2], [1, 2]))
        return try graph.backward(record, seeds: ["fc2": try upload([1], [1, 1])], composite: composite)
    }

    @Test("forward values of the hand-made network")
    func forward() throws {
        let record = try Self.tinyNetwork().forward(try upload([1, 2], [1, 2]))
        #expect(try values(try record.activation("fc1")) == [1, 2, -1, -1])
        #expect(try values(try record.activation("relu")) == [1, 2, 0, 0])
        #expect(try values(record.output) == [2 * 1 - 3 * 2 + 0.5])
    }

    @Test("gradient: g·[x > 0] at the ReLU")
    func gradient() throws {
        let result = try Self.run(.gradient)
        #expect(try values(try result.gradient(at: "relu")) == [2, -3, 5, -7])
        #expect(try values(try result.gradient(at: "fc1")) == [2, -3, 0, 0])
        // W1ᵀ·[2, −3, 0, 0]
        #expect(try values(try result.gradient(at: "input")) == [2, -3])
    }

    @Test("guided backpropagation: g·[x > 0]·[g > 0] at the ReLU")
    func guided() throws {
        let result = try Self.run(.guided)
        #expect(try values(try result.gradient(at: "relu")) == [2, -3, 5, -7])
        #expect(try values(try result.gradient(at: "fc1")) == [2, 0, 0, 0])
        // W1ᵀ·[2, 0, 0, 0]
        #expect(try values(try result.gradient(at: "input")) == [2, 0])
    }

    @Test("deconvnet: max(g, 0) at the ReLU, whatever the input")
    func deconvnet() throws {
        let result = try Self.run(.deconvnet)
        #expect(try values(try result.gradient(at: "fc1")) == [2, 0, 5, 0])
        // W1ᵀ·[2, 0, 5, 0] = [2 + 5, 5]
        #expect(try values(try result.gradient(at: "input")) == [7, 5])
    }

    @Test("the ReLU rule in gradient mode is the gradient")
    func reluRuleGradientMode() throws {
        let result = try Self.run(Composite([(.relu, ReLURule(.gradient))]))
        #expect(try values(try result.gradient(at: "input")) == [2, -3])
    }

    @Test("a batch: each sample gets its own guided and deconvnet values")
    func batch() throws {
        let graph = try Self.tinyNetwork()
        // Sample 2, x = [−1, 3]: fc1 = [−1, 3, −2, 1]; units 1 and 3 on.
        let record = try graph.forward(try upload([1, 2, -1, 3], [2, 2]))
        let seed = try upload([1, -1], [2, 1])
        func input(_ composite: Composite) throws -> [Float] {
            try values(try graph.backward(record, seeds: ["fc2": seed], composite: composite).gradient(at: "input"))
        }
        // Sample 2's seed is −1, so g = [−2, 3, −5, 7].
        // gradient: [0, 3, 0, 7] → W1ᵀ = [−7, 3]; guided: same (both positive); deconvnet: [0, 3, 0, 7].
        #expect(try input(.gradient) == [2, -3, -7, 3])
        #expect(try input(.guided) == [2, 0, -7, 3])
        #expect(try input(.deconvnet) == [7, 5, -7, 3])
    }

    @Test("composites select by node name, layer type, predicate and ReLU; first match wins")
    func selectors() throws {
        let guided: [Float] = [2, 0], deconvnet: [Float] = [7, 5], gradient: [Float] = [2, -3]
        func input(_ composite: Composite) throws -> [Float] {
            try values(try Self.run(composite).gradient(at: "input"))
        }
        #expect(try input(Composite([(.name("relu"), ReLURule(.guided))])) == guided)
        #expect(try input(Composite([(.layerType("activation"), ReLURule(.deconvnet))])) == deconvnet)
        #expect(try input(Composite([(.layerType(Activation.typeName), ReLURule(.guided))])) == guided)
        #expect(try input(Composite([(.matching { $0.inputs == ["fc1"] }, ReLURule(.deconvnet))])) == deconvnet)
        #expect(try input(Composite([(.name("no such node"), ReLURule(.guided))])) == gradient)
        #expect(try input(Composite([(.layerType("conv2d"), ReLURule(.guided))])) == gradient)
        #expect(try input(Composite([(.name("relu"), GradientRule()), (.relu, ReLURule(.guided))])) == gradient)
        #expect(try input(Composite([(.relu, ReLURule(.deconvnet)), (.name("relu"), ReLURule(.guided))])) == deconvnet)
        #expect(try input(Composite(fallback: ReLURule(.guided))) == guided)

        let composite = Composite([(.name("relu"), ReLURule(.guided))])
        let graph = try Self.tinyNetwork()
        #expect(composite.rule(for: try graph.node(named: "relu")) is ReLURule)
        #expect(composite.rule(for: try graph.node(named: "fc1")) is GradientRule)
    }

    @Test("non-ReLU nodes keep the gradient under the ReLU rules")
    func nonReLUNodes() throws {
        // dense → tanh → dense → leaky ReLU → dense: no ReLU at all.
        var generator = SplitMix64(seed: 41)
        let graph = try makeGraph(
            inputShape: [3],
            nodes: Graph.sequentialNodes([
                ("fc1", Dense(3, 4)), ("tanh", Activation(.tanh)), ("fc2", Dense(4, 4)),
                ("leaky", Activation(.leakyReLU(slope: 0.2))), ("fc3", Dense(4, 2)),
            ]), seed: 42)
        let record = try graph.forward(try upload(generator.floats(6), [2, 3]))
        let seed = try upload(generator.floats(4), [2, 2])
        let reference = try values(try graph.backward(record, seeds: ["fc3": seed]).gradient(at: "input"))
        for composite in [
            Composite.guided, .deconvnet, Composite([(.layerType("activation"), ReLURule(.guided))]),
            Composite(fallback: ReLURule(.deconvnet)),
        ] {
            #expect(
                try values(try graph.backward(record, seeds: ["fc3": seed], composite: composite).gradient(at: "input"))
                    == reference)
        }
    }

    @Test("guided and deconvnet differ from the gradient only at ReLUs in a convolutional network")
    func convolutionalNetwork() throws {
        var generator = SplitMix64(seed: 43)
        let graph = try makeGraph(
            inputShape: [1, 8, 8],
            nodes: try Architecture.smallCNN.nodes(inputShape: [1, 8, 8], classes: 10), seed: 44)
        let record = try graph.forward(try upload(generator.floats(64, 0, 1), [1, 1, 8, 8]))
        let seed = try graph.oneHotSeed(targets: [4], classes: 10)
        let gradient = try graph.backward(record, seeds: ["logits": seed])
        let guided = try graph.backward(record, seeds: ["logits": seed], composite: .guided)
        let deconvnet = try graph.backward(record, seeds: ["logits": seed], composite: .deconvnet)
        // Above the first ReLU from the top, all three agree.
        #expect(try values(try guided.gradient(at: "dropout2")) == values(try gradient.gradient(at: "dropout2")))
        #expect(try values(try deconvnet.gradient(at: "relu3")) == values(try gradient.gradient(at: "relu3")))
        // At the guided ReLU: g·[x > 0]·[g > 0], elementwise from what reached it.
        let arriving = try values(try guided.gradient(at: "relu3"))
        let preActivation = try values(try record.activation("fc1"))
        #expect(
            try values(try guided.gradient(at: "fc1"))
                == zip(arriving, preActivation).map { g, x in x > 0 && g > 0 ? g : 0 })
        let arrivingDeconvnet = try values(try deconvnet.gradient(at: "relu3"))
        #expect(try values(try deconvnet.gradient(at: "fc1")) == arrivingDeconvnet.map { max($0, 0) })
        // Guided gradients at the input differ from plain gradients, and have no sign flips through the ReLUs.
        #expect(try values(try guided.gradient(at: "input")) != values(try gradient.gradient(at: "input")))
        #expect(try values(try guided.gradient(at: "relu1")).count == 16 * 64)
        #expect(try values(try guided.gradient(at: "conv1")).allSatisfy { $0 >= 0 })
        #expect(try values(try deconvnet.gradient(at: "conv1")).allSatisfy { $0 >= 0 })
    }
}
