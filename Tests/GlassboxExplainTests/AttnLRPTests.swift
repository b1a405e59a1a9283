import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxNN
import GlassboxONNX
import GlassboxOpenCL
import Synchronization
import Testing

@testable import GlassboxExplain

/// The folder of fixtures written by `scripts/make_attnlrp_fixtures.py`.
let attnLRPFixtures = fixtures.appendingPathComponent("attnlrp")

/// One case of `Fixtures/attnlrp/manifest.json`: lxt's AttnLRP input relevance on a small ViT.
struct AttnLRPCase: ONNXFixtureCase, Decodable, CustomStringConvertible, Sendable {
    static var folder: URL { attnLRPFixtures }

    let model: String
    let id: String
    let file: String
    let onnx: String
    let inputs: String
    let logits: String
    let targets: [Int]
    /// lxt's ε per function: "linear" (Linear and the patch Conv), "layer_norm", "matmul", "add".
    let stabilizers: [String: Float]
    let targetLogits: [Float]
    let relevanceSum: [Float]
    let relevanceMaxAbs: Float

    private struct Manifest: Decodable { let cases: [AttnLRPCase] }

    var description: String { "\(model) \(id)" }

    static let all: [AttnLRPCase] = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data =
            (try? Data(contentsOf: attnLRPFixtures.appendingPathComponent("manifest.json")))
            ?? Data("{\"cases\": []}".utf8)
        return (try? decoder.decode(Manifest.self, from: data).cases) ?? []
    }()

    /// Whether the case has no stabilisers (every ε = 0).
    var isUnstabilized: Bool { stabilizers.values.allSatisfy { $0 == 0 } }

    /// Glassbox's AttnLRP: ε on the convolution and the dense layers with lxt's ε, and the
    /// other rules' stabiliser 1e-6 (0 for the unstabilised case).
    var composite: LRPComposite {
        .epsilon(epsilon: stabilizers["linear"] ?? 1e-6, stabilizer: isUnstabilized ? 0 : LRPRule.defaultStabilizer)
    }

    /// The tolerance of the normalised error against lxt. Without stabilisers both compute
    /// the same rules and differ by float rounding (lxt's own float64 and float32 results
    /// differ by 4e-7 of max|R|). With them, the conventions differ: lxt adds ε (z + ε),
    /// Glassbox adds ε·sign(z), and where the export splits a Linear into MatMul and bias Add
    /// Glassbox stabilises both; the smallest |z| of a linear output here is 5e-5, so single
    /// neurons move by up to a few percent — lxt's own result moves by 8.7e-5 of max|R|
    /// between its default ε and none. Measured: 5e-7 and 1.5e-4.
    var tolerance: Double { isUnstabilized ? 1e-5 : 5e-4 }
}

/// The devices the fixture runs on: the CPU, and the first OpenCL device when there is one.
let attnLRPDevices = ["cpu"] + (openCLDevices.isEmpty ? [] : ["opencl"])

/// AttnLRP (Achtibat et al. 2024) on a small vision transformer imported from ONNX —
/// layer normalisations, attention's matrix products and softmax, GELU exported in pieces,
/// dense layers on tokens, a class token and a position embedding — against lxt 2.1, the
/// paper's implementation, and the rules on their own against their formulas.
@Suite("AttnLRP")
struct AttnLRPTests {
    @Test func theManifestIsPresent() {
        #expect(AttnLRPCase.all.map(\.id) == ["attnlrp", "attnlrp-eps0"])
    }

    /// The imported ViT gives PyTorch's logits, and still does with its two GELUs fused.
    @Test func theImportedViTGivesPyTorchsLogitsWithItsGELUsFused() throws {
        let fixture = try #require(AttnLRPCase.all.first)
        let (model, inputs) = try fixture.load(on: CPUBackend.shared)
        let logits = try fixture.array(fixture.logits).values
        #expect(normalisedError(try model.predict(inputs).toArray(), logits) < 1e-5)
        let fused = try model.fusingGELU()
        #expect(fused.nodes.count == model.nodes.count - 8)
        #expect(fused.nodes.filter { ($0.layer as? Activation)?.kind == .gelu(tanhApproximation: false) }.count == 2)
        #expect(!fused.nodes.contains { ($0.layer as? Activation)?.kind == .erf })
        #expect(normalisedError(try fused.predict(inputs).toArray(), logits) < 1e-5)
    }

    /// Every node of the canonical ViT gets the rule of its kind.
    @Test func everyNodeGetsItsAttnLRPRule() throws {
        let fixture = try #require(AttnLRPCase.all.first)
        let model = try LayerwiseRelevancePropagation.logits(
            of: try fixture.load(on: CPUBackend.shared).model.foldingBatchNorm().fusingGELU())
        let rules = LRPComposite.epsilon().composite(for: model)
        var chosen = [String: Set<String>]()
        for node in model.nodes {
            let rule = rules.rule(for: node)
            var kind = "\(type(of: node.layer))"
            if let arithmetic = node.layer as? Arithmetic {
                kind += " \(arithmetic.operation)\(arithmetic.constantShape == nil ? "" : " constant")"
            }
            chosen[kind, default: []].insert((rule as? LRPRule)?.description ?? "\(type(of: rule))")
        }
        #expect(
            chosen == [
                "Conv2D": ["epsilon (ε 1e-06)"], "Dense": ["epsilon (ε 1e-06)"],
                "Arithmetic add constant": ["norm"], "Arithmetic multiply constant": ["norm"], "Add": ["norm"],
                "LayerNormalization": ["SampleNormalizationRule"], "BatchedMatMul": ["uniform (ε 1e-06)"],
                "Softmax": ["SoftmaxRule"], "Activation": ["PassRule"],
                "Reshape": ["GradientRule"], "Transpose": ["GradientRule"], "Concat": ["GradientRule"],
                "SampleConstant": ["GradientRule"], "Gather": ["GradientRule"],
            ])
    }

    /// Glassbox's LRP with AttnLRP's rules gives lxt's input relevance, on the CPU and on
    /// OpenCL, and reports the conservation lxt has: the score is the target logit and the
    /// relevance sums are lxt's (AttnLRP conserves only 5–9 % of these logits: the class
    /// token, the position embedding and the biases keep the rest under the ε rule, and the
    /// softmax rule leaves out its bias term; see ``relevanceIsConservedWhereNoRuleAbsorbsIt()``).
    @Test(arguments: AttnLRPCase.all, attnLRPDevices)
    func relevanceMatchesLxt(_ fixture: AttnLRPCase, device: String) throws {
        let backend: any Backend = device == "cpu" ? CPUBackend.shared : try OpenCLBackend.shared(deviceIndex: 0)
        let (model, inputs) = try fixture.load(on: backend)
        let attribution = try LayerwiseRelevancePropagation(composite: fixture.composite)
            .attribute(inputs, targets: fixture.targets, model: model)
        let reference = try fixture.array(fixture.file)
        #expect(attribution.values.shape == reference.shape)
        let values = try attribution.values.toArray()
        #expect(normalisedError(values, reference.values) < fixture.tolerance, "\(device)")
        let conservation = try #require(attribution.conservation)
        let perSample = reference.values.count / fixture.targets.count
        for (sample, entry) in conservation.enumerated() {
            let logit = fixture.targetLogits[sample]
            #expect(abs(entry.score - logit) <= 1e-5 * abs(logit), "\(device) sample \(sample)")
            let sum = values[(sample * perSample)..<((sample + 1) * perSample)].reduce(0, +)
            #expect(abs(entry.relevanceSum - sum) <= 1e-5 * abs(logit))
            #expect(abs(entry.relevanceSum - fixture.relevanceSum[sample]) <= 1e-4 * abs(logit), "\(entry)")
        }
    }

    /// Relevance is conserved node by node on the ViT, except where a rule lets a constant
    /// keep a share (the biases, the position embedding, the class token) and at the
    /// softmax; those losses add up to the gap between the logits and the input relevance.
    /// Without stabilisers every other node conserves to float rounding: the uniform rule on
    /// attention's products, GELU's identity rule, the residual additions, the dense layers
    /// without bias, the scaling by 1/√d, and the gathers, reshapes and transposes. Here,
    /// of the two logits (4.18 together; 0.29 reach the input) the class token keeps 2.96,
    /// the position embedding 1.23, the biases of the dense layers and the convolution
    /// −0.22, the layer normalisations −0.01 and the softmax rules −0.07.
    @Test func relevanceIsConservedWhereNoRuleAbsorbsIt() throws {
        let fixture = try #require(AttnLRPCase.all.first { $0.isUnstabilized })
        let (imported, inputs) = try fixture.load(on: CPUBackend.shared)
        let model = try LayerwiseRelevancePropagation.logits(of: try imported.foldingBatchNorm().fusingGELU())
        let log = ConservationLog()
        let rules = fixture.composite.composite(for: model)
        let probed = Composite(
            rules.mapping.map { ($0.selector, ConservationProbe(rule: $0.rule, log: log) as any BackwardRule) },
            fallback: ConservationProbe(rule: rules.fallback, log: log))
        var scores = [Float]()
        let relevance = try TargetPass(model: model, composite: probed, seedsScore: true)
            .joined(inputs, targets: fixture.targets) {
                scores += $0.scores
                return $0.inputGradient!
            }
        let entries = log.entries
        #expect(entries.count == model.nodes.count)
        let scale = Double(scores.map(abs).max()!)
        var losses = 0.0
        for entry in entries {
            let loss = entry.output - entry.inputs
            losses += loss
            let layer = entry.node.layer
            let keepsAShare =
                layer is Softmax || layer is SampleConstant || layer is LayerNormalization
                || (layer as? Arithmetic).map { $0.constantShape != nil && [.add, .subtract].contains($0.operation) }
                    ?? false
                || (layer as? any LinearLayer)?.biasParameter != nil
            if !keepsAShare {
                #expect(abs(loss) <= 1e-5 * scale, "\(entry.node.name) (\(layer.typeName)) loses \(loss)")
            }
        }
        let input = try relevance.toArray().map(Double.init).reduce(0, +)
        let score = scores.map(Double.init).reduce(0, +)
        #expect(abs(score - input - losses) <= 1e-5 * scale)
    }

    /// The uniform rule on a matrix product A·Bᵀ: half of the ε-rule relevance of each
    /// product a_ik·b_jk to each operand, conserving the whole (without a stabiliser).
    @Test func theUniformRuleHalvesTheEpsilonRelevanceOfAMatrixProduct() throws {
        let backend = CPUBackend.shared
        var generator = SplitMix64(seed: 5)
        let (a, b, r) = (generator.floats(24, -1, 1), generator.floats(40, -1, 1), generator.floats(30, -1, 1))
        let layer = BatchedMatMul(transposeRight: true)
        let step = try Self.step(
            layer, inputs: [try backend.upload(a, shape: [2, 3, 4]), try backend.upload(b, shape: [2, 5, 4])],
            relevance: r)
        let result = try LRPRule.uniform(stabilizer: 0).propagate(step).inputs.map { try $0.toArray() }
        var expectedA = [Double](repeating: 0, count: 24), expectedB = [Double](repeating: 0, count: 40)
        for l in 0..<2 {
            for i in 0..<3 {
                for j in 0..<5 {
                    let products = (0..<4).map { Double(a[l * 12 + i * 4 + $0]) * Double(b[l * 20 + j * 4 + $0]) }
                    let share = Double(r[l * 15 + i * 5 + j]) / products.reduce(0, +) / 2
                    for k in 0..<4 {
                        expectedA[l * 12 + i * 4 + k] += products[k] * share
                        expectedB[l * 20 + j * 4 + k] += products[k] * share
                    }
                }
            }
        }
        #expect(normalisedError(result[0], expectedA) < 1e-4)
        #expect(normalisedError(result[1], expectedB) < 1e-4)
        let total = result.joined().reduce(0, +)
        #expect(abs(total - r.reduce(0, +)) < 1e-3 * r.map(abs).reduce(0, +))
    }

    /// The uniform rule on a gate, x ⊙ g with g broadcast over positions: x gets R/2, the gate
    /// half of the relevance of every output it multiplies.
    @Test func theUniformRuleHalvesAnElementwiseProduct() throws {
        let backend = CPUBackend.shared
        var generator = SplitMix64(seed: 6)
        let (x, g, r) = (generator.floats(24, 0.5, 1), generator.floats(6, 0.5, 1), generator.floats(24, -1, 1))
        let step = try Self.step(
            Arithmetic(.multiply),
            inputs: [try backend.upload(x, shape: [2, 3, 2, 2]), try backend.upload(g, shape: [2, 3, 1, 1])],
            relevance: r)
        let result = try LRPRule.uniform(stabilizer: 0).propagate(step).inputs.map { try $0.toArray() }
        #expect(normalisedError(result[0], r.map { Double($0) / 2 }) < 1e-6)
        let gate = (0..<6).map { c in (0..<4).map { Double(r[c * 4 + $0]) / 2 }.reduce(0, +) }
        #expect(normalisedError(result[1], gate) < 1e-6)
    }

    /// The softmax rule is x ⊙ (R − s·ΣR) along the axis, with −∞ inputs taken as 0.
    @Test func theSoftmaxRuleIsTheTaylorDecompositionAtTheInput() throws {
        let backend = CPUBackend.shared
        let x: [Float] = [0.5, -1, 2, -.infinity, 1, 0.25, -0.5, 3]
        let r: [Float] = [0.2, -0.1, 0.7, 0, 0.3, 0.05, -0.4, 0.9]
        let layer = Softmax(axis: 1)
        let step = try Self.step(layer, inputs: [try backend.upload(x, shape: [2, 4])], relevance: r)
        let s = try step.output.toArray()
        let result = try SoftmaxRule().propagate(step).inputs[0].toArray()
        var expected = [Double]()
        for row in 0..<2 {
            let total = (0..<4).map { Double(r[row * 4 + $0]) }.reduce(0, +)
            for i in 0..<4 {
                let value = Double(x[row * 4 + i]), at = row * 4 + i
                expected.append(value.isFinite ? value * (Double(r[at]) - Double(s[at]) * total) : 0)
            }
        }
        #expect(result.allSatisfy { $0.isFinite })
        #expect(normalisedError(result, expected) < 1e-6)
    }

    /// The layer-normalisation rule: x ⊙ J₀ᵀ(R/y) with the deviation constant, J₀ᵀv =
    /// (v·scale − mean(v·scale))/σ; the bias keeps Σ R·bias/y, the rest is conserved.
    @Test func theLayerNormalizationRuleHoldsTheDeviationConstant() throws {
        let backend = CPUBackend.shared
        var generator = SplitMix64(seed: 7)
        let (x, r) = (generator.floats(15, -2, 2), generator.floats(15, -1, 1))
        let (scale, bias) = (generator.floats(5, 0.5, 1.5), generator.floats(5, -0.2, 0.2))
        let layer = LayerNormalization(axis: 1, normalizedShape: [5], hasBias: true)
        let parameters = ["scale": try backend.upload(scale, shape: [5]), "bias": try backend.upload(bias, shape: [5])]
        let step = try Self.step(
            layer, inputs: [try backend.upload(x, shape: [3, 5])], relevance: r, parameters: parameters)
        let y = try step.output.toArray()
        let result = try SampleNormalizationRule(stabilizer: 0).propagate(step).inputs[0].toArray()
        var expected = [Double](), kept = 0.0
        for row in 0..<3 {
            let values = (0..<5).map { Double(x[row * 5 + $0]) }
            let mean = values.reduce(0, +) / 5
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5 + 1e-5).squareRoot()
            let v = (0..<5).map { Double(r[row * 5 + $0]) / Double(y[row * 5 + $0]) * Double(scale[$0]) }
            let meanV = v.reduce(0, +) / 5
            expected += (0..<5).map { values[$0] * (v[$0] - meanV) / deviation }
            kept += (0..<5).map { Double(r[row * 5 + $0]) * Double(bias[$0]) / Double(y[row * 5 + $0]) }.reduce(0, +)
        }
        #expect(normalisedError(result, expected) < 1e-5)
        let total = Double(r.reduce(0, +))
        #expect(abs(result.map(Double.init).reduce(0, +) - (total - kept)) < 1e-4 * abs(total))
    }

    /// PyTorch's exported GELU, operands in either order, becomes one GELU node computing
    /// the same; a near miss (a constant of 0.4) is left alone.
    @Test(arguments: [0.5, 0.4] as [Float])
    func geluExportedInPiecesFusesIntoOneActivation(_ half: Float) throws {
        let backend = CPUBackend.shared
        func constant(_ operation: BinaryOperation, first: Bool = false) -> Arithmetic {
            Arithmetic(operation, constantShape: [], constantFirst: first)
        }
        let nodes = [
            Node("scaled", constant(.divide), inputs: ["input"]),
            Node("erf", Activation(.erf), inputs: ["scaled"]),
            Node("plus-one", constant(.add, first: true), inputs: ["erf"]),
            Node("product", Arithmetic(.multiply), inputs: ["plus-one", "input"]),
            Node("gelu", constant(.multiply), inputs: ["product"]),
            Node("logits", Dense(6, 2), inputs: ["gelu"]),
        ]
        var generator = SplitMix64(seed: 8)
        let parameters: [String: Tensor] = [
            "scaled.operand": try backend.upload([Float(2).squareRoot()], shape: []),
            "plus-one.operand": try backend.upload([1], shape: []),
            "gelu.operand": try backend.upload([half], shape: []),
            "logits.weight": try backend.upload(generator.floats(12, -1, 1), shape: [2, 6]),
            "logits.bias": try backend.upload([0.1, -0.2], shape: [2]),
        ]
        let model = try Graph(inputShape: [6], nodes: nodes, parameters: parameters, backend: backend)
        let fused = try model.fusingGELU()
        let x = try backend.upload(generator.floats(18, -3, 3), shape: [3, 6])
        #expect(normalisedError(try fused.predict(x).toArray(), try model.predict(x).toArray()) < 1e-6)
        if half == 0.5 {
            #expect(fused.nodes.map(\.name) == ["gelu", "logits"])
            #expect((try fused.node(named: "gelu").layer as? Activation)?.kind == .gelu(tanhApproximation: false))
            #expect(fused.parameters.keys.sorted() == ["logits.bias", "logits.weight"])
        } else {
            #expect(fused.nodes.count == model.nodes.count)
        }
    }

    /// A backward step of `layer` on `inputs` (forward run here) with `relevance` arriving at its output.
    static func step(
        _ layer: any Layer, inputs: [Tensor], relevance: [Float], parameters: [String: Tensor] = [:]
    ) throws -> BackwardStep {
        let backend = inputs[0].backend
        let context = ForwardContext(backend: backend, mode: .inference, randomStream: RandomStream(seed: 0))
        let forward = try layer.forward(inputs, parameters: parameters, context: context)
        return BackwardStep(
            node: Node("node", layer, inputs: inputs.indices.map { "input\($0)" }), inputs: inputs,
            output: forward.output, saved: forward.saved,
            gradient: try backend.upload(relevance, shape: forward.output.shape), parameters: parameters,
            wantsParameterGradients: false)
    }
}

/// The relevance sums a ``ConservationProbe`` saw, node by node.
final class ConservationLog: Sendable {
    /// One node's Σ R at its output and over all its inputs.
    struct Entry: Sendable {
        let node: Node
        let output: Double
        let inputs: Double
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }
}

/// A rule that runs `rule` and logs the relevance sums before and after it.
struct ConservationProbe: BackwardRule {
    let rule: any BackwardRule
    let log: ConservationLog

    func propagate(_ step: BackwardStep) throws -> LayerGradients {
        let result = try rule.propagate(step)
        func sum(_ tensor: Tensor) throws -> Double { try tensor.toArray().map(Double.init).reduce(0, +) }
        log.append(
            ConservationLog.Entry(
                node: step.node, output: try sum(step.gradient), inputs: try result.inputs.map(sum).reduce(0, +)))
        return result
    }
}
