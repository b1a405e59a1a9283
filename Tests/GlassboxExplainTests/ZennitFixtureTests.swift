import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX
import Testing

@testable import GlassboxExplain

/// The folder of fixtures written by `scripts/make_zennit_fixtures.py`.
let zennitFixtures = fixtures.appendingPathComponent("zennit")

/// One case of `Fixtures/zennit/manifest.json`: a Zennit composite's input relevance on an ONNX model.
struct ZennitCase: ONNXFixtureCase, Decodable, CustomStringConvertible, Sendable {
    static var folder: URL { zennitFixtures }

    let model: String
    let id: String
    let composite: String
    let file: String
    let onnx: String
    let inputs: String
    let logits: String
    let targets: [Int]
    let parameters: Parameters
    let low: [Float]?
    let high: [Float]?

    struct Parameters: Decodable, Sendable {
        let epsilon: Float
        let stabilizer: Float
        let gamma: Float?
        let alpha: Float?
        let beta: Float?
    }

    private struct Manifest: Decodable { let cases: [ZennitCase] }

    var description: String { "\(model) \(id)" }

    static let all: [ZennitCase] = {
        let data =
            (try? Data(contentsOf: zennitFixtures.appendingPathComponent("manifest.json")))
            ?? Data("{\"cases\": []}".utf8)
        return (try? JSONDecoder().decode(Manifest.self, from: data).cases) ?? []
    }()

    /// The Glassbox composite with this case's Zennit parameters.
    func lrpComposite() throws -> LRPComposite {
        let (epsilon, stabilizer) = (parameters.epsilon, parameters.stabilizer)
        switch composite {
        case "epsilon-plus": return .epsilonPlus(epsilon: epsilon, stabilizer: stabilizer)
        case "epsilon-alpha2-beta1":
            return try .epsilonAlphaBeta(
                epsilon: epsilon, alpha: parameters.alpha ?? 2, beta: parameters.beta ?? 1, stabilizer: stabilizer)
        case "epsilon-plus-flat": return .epsilonPlusFlat(epsilon: epsilon, stabilizer: stabilizer)
        case "epsilon-gamma-box":
            return try .epsilonGammaBox(
                low: try #require(low), high: try #require(high), epsilon: epsilon,
                gamma: parameters.gamma ?? 0.25, stabilizer: stabilizer)
        default: throw GlassboxError.invalidArgument("no Glassbox composite for fixture composite '\(composite)'")
        }
    }
}

/// LRP composites against Zennit 0.5.1 on a small CNN (batch norm, max and
/// average pooling) and a small ResNet (batch norms, residual additions, a
/// strided 1×1 shortcut), both imported from ONNX with their batch norms kept.
@Suite("Agreement with Zennit")
struct ZennitFixtureTests {
    @Test func theManifestIsPresent() {
        #expect(ZennitCase.all.count == 12)
        #expect(Set(ZennitCase.all.map(\.composite)).count == 4)
    }

    @Test func importedModelsKeepTheirBatchNormsAndGivePyTorchsLogits() throws {
        for name in Set(ZennitCase.all.map(\.model)).sorted() {
            let fixture = try #require(ZennitCase.all.first { $0.model == name })
            let (model, inputs) = try fixture.load(on: CPUBackend.shared)
            #expect(model.nodes.contains { $0.layer is BatchNorm }, "\(name)")
            #expect(
                normalisedError(try model.predict(inputs).toArray(), try fixture.array(fixture.logits).values) < 1e-5,
                "\(name)")
        }
    }

    /// Within 1e-4 of max |reference|. (Zennit's canonizer leaves each batch norm
    /// dividing by √(1 + ε); the fixtures were chosen where that moves nothing
    /// beyond 5e-5, see the fixtures' README.)
    @Test(arguments: ZennitCase.all)
    func relevanceMatchesZennit(_ fixture: ZennitCase) throws {
        let (model, inputs) = try fixture.load(on: CPUBackend.shared)
        let attribution = try LayerwiseRelevancePropagation(composite: try fixture.lrpComposite())
            .attribute(inputs, targets: fixture.targets, model: model)
        let reference = try fixture.array(fixture.file)
        #expect(attribution.values.shape == reference.shape)
        #expect(normalisedError(try attribution.values.toArray(), reference.values) < 1e-4)
        let logits = try fixture.array(fixture.logits).values
        for (row, conservation) in try #require(attribution.conservation).enumerated() {
            #expect(abs(conservation.score - logits[row * 5 + fixture.targets[row]]) < 1e-4)
        }
    }
}
