import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

/// Layer-wise Relevance Propagation on whole models: conservation, the
/// treatment of pooling and residual additions, composites' node choices.
@Suite("LRP on models")
struct LRPTests {
    /// LRP-0 and LRP-ε with a small ε on a bias-free ReLU net (residual addition,
    /// max pooling, global average pooling) hand the whole logit to the input.
    @Test(arguments: ["zero", "epsilon", "proportional max pooling"])
    func biasFreeNetsConserveRelevance(_ variant: String) throws {
        let model = try TestModels.residualCNN(biasFree: true)
        let rule: LRPRule = variant == "epsilon" ? .epsilon(1e-9) : .zero
        let composite = LRPComposite(
            name: variant, convolution: rule, dense: rule,
            maxPooling: variant == "proportional max pooling" ? .proportional : .winnerTakeAll, stabilizer: 0)
        let x = try TestModels.inputs([3, 2, 6, 6])
        let attribution = try LayerwiseRelevancePropagation(composite: composite).attribute(
            x, targets: [0, 1, 2], model: model)
        let conservation = try #require(attribution.conservation)
        for sample in conservation {
            #expect(abs(sample.error) <= 1e-5 * max(abs(sample.score), 1), "\(sample)")
        }
        let rows = try attribution.values.toArray()
        for (n, sample) in conservation.enumerated() {
            #expect(abs(rows[n * 72..<(n + 1) * 72].reduce(0, +) - sample.relevanceSum) < 1e-4)
        }
    }

    /// Proportional max pooling shares a window's relevance by the inputs' values;
    /// winner-take-all gives it all to the maximum.
    @Test func maxPoolingRelevance() throws {
        let backend = CPUBackend.shared
        let node = Node("pool", Pool2D.max(2), inputs: ["input"])
        let x = try backend.upload([1, 3, 0, 2, 2, 2, 4, 4], shape: [1, 1, 2, 4])
        let context = ForwardContext(backend: backend, mode: .inference, randomStream: RandomStream(seed: 0))
        let output = try node.layer.forward([x], parameters: [:], context: context).output
        let step = BackwardStep(
            node: node, inputs: [x], output: output, saved: [],
            gradient: try backend.upload([8, 10], shape: [1, 1, 1, 2]),
            parameters: [:], wantsParameterGradients: false)
        let proportional = try MaxPoolingRelevance.proportional.rule(stabilizer: 0).propagate(step).inputs[0].toArray()
        // Windows {1, 3, 2, 2} (sum 8) and {0, 2, 4, 4} (sum 10) receive 8 and 10: each input keeps its value.
        #expect(normalisedError(proportional, [1, 3, 0, 2, 2, 2, 4, 4].map { Double($0) }) < 1e-6)
        let winner = try MaxPoolingRelevance.winnerTakeAll.rule(stabilizer: 0).propagate(step).inputs[0].toArray()
        #expect(winner == [0, 8, 0, 0, 0, 0, 10, 0])
    }

    /// The first-layer rule goes to the first convolution or dense node; overrides by
    /// name and by kind come before the composite's own choices.
    @Test func compositeChoosesRulesByNode() throws {
        let model = try TestModels.residualCNN()
        var composite = try LRPComposite.epsilonGammaBox(low: [-1], high: [1])
        composite.overrides = [(.name("conv2"), LRPRule.epsilon(0.5)), (.kind(FullyConnectedLayer.self), LRPRule.zero)]
        let rules = composite.composite(for: model)
        func rule(_ name: String) throws -> String {
            let chosen = rules.rule(for: try model.node(named: name))
            return (chosen as? LRPRule)?.name ?? "\(type(of: chosen))"
        }
        #expect(try rule("conv1") == "z-box")
        #expect(try rule("conv2") == "epsilon")
        #expect(try rule("logits") == "zero")
        #expect(try rule("sum") == "norm")
        #expect(try rule("gap") == "norm")
        #expect(try rule("relu1") == "PassRule")
        #expect(try rule("bn1") == "PassRule")
        #expect(try rule("pool") == "GradientRule")
        #expect(try rule("flatten") == "GradientRule")
    }

    /// An unfolded model and its folded twin give the same logits, and LRP runs on
    /// the folded one, so the relevance of a model with batch norms equals that of
    /// the same function written without them.
    @Test func batchNormIsFoldedBeforeTheRules() throws {
        let model = try TestModels.residualCNN()
        let folded = try model.foldingBatchNorm()
        #expect(!folded.nodes.contains { $0.layer is BatchNorm })
        let x = try TestModels.inputs([2, 2, 6, 6])
        #expect(
            normalisedError(
                try folded.forward(x).output.toArray(), try model.forward(x).output.toArray().map(Double.init)) < 1e-5)
        let method = LayerwiseRelevancePropagation(composite: .epsilonPlus())
        let direct = try method.attribute(x, targets: [1, 2], model: model).values.toArray()
        let onFolded = try method.attribute(x, targets: [1, 2], model: folded).values.toArray()
        #expect(normalisedError(direct, onFolded.map(Double.init)) < 1e-6)
        #expect(direct.contains { $0 != 0 })
    }

    /// A model ending in softmax is explained at its logits.
    @Test func aFinalSoftmaxIsLeftOut() throws {
        let model = try TestModels.residualCNN()
        let withSoftmax = try Graph(
            inputShape: model.inputShape, nodes: model.nodes + [Node("probabilities", Softmax(), inputs: ["logits"])],
            parameters: model.parameters, backend: model.backend)
        let x = try TestModels.inputs([2, 2, 6, 6])
        let method = LayerwiseRelevancePropagation(composite: .epsilonPlusFlat())
        let expected = try method.attribute(x, targets: [0, 1], model: model)
        let actual = try method.attribute(x, targets: [0, 1], model: withSoftmax)
        #expect(try actual.values.toArray() == expected.values.toArray())
        #expect(actual.conservation == expected.conservation)
    }
}
