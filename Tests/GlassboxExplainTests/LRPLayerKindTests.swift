import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

/// LRP composites choose rules by layer kind, so Bayesian networks, whose layers
/// are convolutions and fully connected layers of other types, get the rules of
/// their plain twins and are explained through their mean weights.
@Suite("LRP by layer kind")
struct LRPLayerKindTests {
    /// The four standard composites, by Zennit's names.
    static let composites = ["epsilon-plus", "epsilon-alpha2-beta1", "epsilon-plus-flat", "epsilon-gamma-box"]

    static func composite(_ name: String) throws -> LRPComposite {
        switch name {
        case "epsilon-plus": .epsilonPlus()
        case "epsilon-alpha2-beta1": try .epsilonAlphaBeta()
        case "epsilon-plus-flat": .epsilonPlusFlat()
        default: try .epsilonGammaBox(low: [-1], high: [1])
        }
    }

    /// conv 2→4 → ReLU → (conv 4→4) + skip → ReLU → max-pool 2 → flatten → dense
    /// 36→8 → ReLU → dense 8→3 on 2×6×6 inputs, with Bayesian layers whose means
    /// (biases zero when `biasFree`) and ρ are random, and its mean network: the
    /// same nodes with ``Conv2D`` and ``Dense`` layers whose weights and biases are
    /// the means.
    static func networks(biasFree: Bool = false) throws -> (bayesian: Graph, mean: Graph) {
        func nodes(bayesian: Bool) -> [Node] {
            func conv(_ inputs: Int, _ outputs: Int) -> any Layer {
                bayesian
                    ? BayesianConv2D(inputs, outputs, kernel: 3, padding: 1)
                    : Conv2D(inputs, outputs, kernel: 3, padding: 1)
            }
            func dense(_ inputs: Int, _ outputs: Int) -> any Layer {
                bayesian ? BayesianDense(inputs, outputs) : Dense(inputs, outputs)
            }
            return [
                Node("conv1", conv(2, 4), inputs: ["input"]), Node("relu1", Activation.relu, inputs: ["conv1"]),
                Node("conv2", conv(4, 4), inputs: ["relu1"]), Node("sum", Add(), inputs: ["conv2", "relu1"]),
                Node("relu2", Activation.relu, inputs: ["sum"]), Node("pool", Pool2D.max(2), inputs: ["relu2"]),
                Node("flatten", Reshape.flatten, inputs: ["pool"]), Node("fc1", dense(36, 8), inputs: ["flatten"]),
                Node("relu3", Activation.relu, inputs: ["fc1"]), Node("logits", dense(8, 3), inputs: ["relu3"]),
            ]
        }
        let backend = CPUBackend.shared
        var generator = SplitMix64(seed: 41)
        var bayesian = [String: Tensor](), mean = [String: Tensor]()
        for node in nodes(bayesian: true) {
            for spec in node.layer.parameterSpecs {
                let (low, high) =
                    switch spec.name {
                    case "weightMean": (-0.6, 0.6)
                    case "biasMean": biasFree ? (0.0, 0.0) : (-0.3, 0.3)
                    default: (-2.0, 0.0)
                    }
                let value = try backend.upload(generator.floats(spec.shape.count, low, high), shape: spec.shape)
                bayesian[node.parameterName(spec.name)] = value
                if spec.name.hasSuffix("Mean") { mean[node.parameterName(String(spec.name.dropLast(4)))] = value }
            }
        }
        return (
            try Graph(inputShape: [2, 6, 6], nodes: nodes(bayesian: true), parameters: bayesian, backend: backend),
            try Graph(inputShape: [2, 6, 6], nodes: nodes(bayesian: false), parameters: mean, backend: backend)
        )
    }

    /// A rule as text: the LRP rule with its parameters, or the rule's type.
    static func describe(_ rule: any BackwardRule) -> String {
        (rule as? LRPRule)?.description ?? "\(type(of: rule))"
    }

    /// Every node of the Bayesian network gets the rule of its node in the mean
    /// network; the convolutions and dense layers get the composite's rules, not the gradient.
    @Test(arguments: composites)
    func bayesianLayersGetTheCompositesRules(_ name: String) throws {
        let composite = try Self.composite(name)
        let (bayesian, mean) = try Self.networks()
        let bayesianRules = composite.composite(for: bayesian), meanRules = composite.composite(for: mean)
        for node in bayesian.nodes {
            #expect(
                Self.describe(bayesianRules.rule(for: node))
                    == Self.describe(meanRules.rule(for: try mean.node(named: node.name))),
                "\(node.name)")
        }
        func rule(_ node: String) throws -> String {
            Self.describe(bayesianRules.rule(for: try bayesian.node(named: node)))
        }
        #expect(try rule("conv1") == (composite.firstLayer ?? composite.convolution).description)
        #expect(try rule("conv2") == composite.convolution.description)
        #expect(try rule("fc1") == composite.dense.description)
        #expect(try rule("logits") == composite.dense.description)
    }

    /// The built-in Bayesian CNN's convolutions and dense layers get the composite's rules.
    @Test func theBayesianArchitectureGetsTheCompositesRules() throws {
        let nodes = try Architecture.bayesCNN.nodes(inputShape: [1, 8, 8], classes: 10)
        let model = try Graph.initialized(inputShape: [1, 8, 8], nodes: nodes, seed: 1, backend: CPUBackend.shared)
        let rules = LRPComposite.epsilonPlusFlat().composite(for: model)
        let chosen = try ["conv1", "relu1", "conv2", "pool", "fc1", "logits"].map {
            Self.describe(rules.rule(for: try model.node(named: $0)))
        }
        #expect(chosen == ["flat", "PassRule", "z-plus", "GradientRule", "epsilon (ε 1e-06)", "epsilon (ε 1e-06)"])
    }

    /// LRP of a Bayesian network is LRP of its mean network, whatever the ρ.
    @Test(arguments: composites)
    func bayesianRelevanceIsTheMeanNetworksRelevance(_ name: String) throws {
        let method = LayerwiseRelevancePropagation(composite: try Self.composite(name))
        let (bayesian, mean) = try Self.networks()
        let x = try TestModels.inputs([3, 2, 6, 6])
        let expected = try method.attribute(x, targets: [0, 1, 2], model: mean)
        let actual = try method.attribute(x, targets: [0, 1, 2], model: bayesian)
        #expect(normalisedError(try actual.values.toArray(), try expected.values.toArray()) < 1e-5)
        #expect(try actual.values.toArray().contains { $0 != 0 })
        for (sample, reference) in zip(try #require(actual.conservation), try #require(expected.conservation)) {
            #expect(abs(sample.score - reference.score) <= 1e-5 * max(abs(reference.score), 1))
            #expect(abs(sample.relevanceSum - reference.relevanceSum) <= 1e-4 * max(abs(reference.relevanceSum), 1))
        }
    }

    /// LRP-0 and LRP-ε with a small ε on the bias-free Bayesian network hand the whole logit to the input.
    @Test(arguments: ["zero", "epsilon"])
    func biasFreeBayesianNetworksConserveRelevance(_ variant: String) throws {
        let rule: LRPRule = variant == "epsilon" ? .epsilon(1e-9) : .zero
        let method = LayerwiseRelevancePropagation(
            composite: LRPComposite(name: variant, convolution: rule, dense: rule, stabilizer: 0))
        let attribution = try method.attribute(
            try TestModels.inputs([3, 2, 6, 6]), targets: [0, 1, 2], model: try Self.networks(biasFree: true).bayesian)
        for sample in try #require(attribution.conservation) {
            #expect(abs(sample.error) <= 1e-5 * max(abs(sample.score), 1), "\(sample)")
        }
    }
}
