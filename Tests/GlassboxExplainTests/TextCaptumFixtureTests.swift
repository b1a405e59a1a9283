import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX
import GlassboxOpenCL
import Testing

@testable import GlassboxExplain

/// The folder written by `scripts/make_text_fixtures.py`: PyTorch text classifiers on real
/// tweets exported to ONNX, with Captum's layer attributions on their embeddings.
private let textFixtures = fixtures.appendingPathComponent("text")

/// One model of `Fixtures/text/manifest.json`.
struct TextFixtureModel: CustomStringConvertible, Sendable {
    /// The model's name in the manifest (`text_cnn`, `lstm`, `lstm_last`, `embedding_bag`).
    let name: String
    /// The explained class of each input.
    let targets: [Int]
    /// The embedding node whose output is explained.
    let layer: String

    var description: String { name }

    /// Every model of the manifest.
    static let all: [TextFixtureModel] = {
        guard let data = try? Data(contentsOf: textFixtures.appendingPathComponent("manifest.json")),
            let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let models = manifest["models"] as? [String: [String: Any]]
        else { return [] }
        return models.keys.sorted().compactMap { name in
            guard let entry = models[name], let targets = entry["targets"] as? [Int],
                let layer = entry["layer"] as? String
            else { return nil }
            return TextFixtureModel(name: name, targets: targets, layer: layer)
        }
    }()

    /// The array `<name>.<suffix>.npy`.
    func array(_ suffix: String) throws -> [Float] {
        try NumpyArray.read(from: textFixtures.appendingPathComponent("\(name).\(suffix).npy")).values
    }

    /// The imported model and the token ids of the six tweets on `backend`.
    func load(on backend: any Backend) throws -> (model: Graph, ids: Tensor) {
        let model = try ONNXImporter.load(from: textFixtures.appendingPathComponent("\(name).onnx"), backend: backend)
            .graph
        let ids = try NumpyArray.read(from: textFixtures.appendingPathComponent("inputs.npy"))
        return (model, try backend.upload(ids.values, shape: ids.shape))
    }
}

/// The backends the text fixtures run on: the CPU, and the first OpenCL device when there is one.
private func textBackends() throws -> [any Backend] {
    [CPUBackend.shared] + (openCLDevices.isEmpty ? [] : [try OpenCLBackend.shared(deviceIndex: 0)])
}

@Suite("Word-level explanations against Captum")
struct TextCaptumFixtureTests {
    @Test func theManifestListsTheFourModels() {
        #expect(TextFixtureModel.all.map(\.name) == ["embedding_bag", "lstm", "lstm_last", "text_cnn"])
    }

    /// Each model's word attributions on each backend, within 1e-4 of max |Captum|.
    @Test(arguments: TextFixtureModel.all)
    func wordAttributionsMatchCaptum(_ fixture: TextFixtureModel) throws {
        for backend in try textBackends() {
            let (model, ids) = try fixture.load(on: backend)
            let note = "\(fixture.name) on \(backend.name)"
            #expect(normalisedError(try model.predict(ids).toArray(), try fixture.array("logits")) < 1e-5, "\(note)")
            let padding = try backend.filled([1, ids.shape[1]], value: 0)
            func attribution(_ method: any AttributionMethod) throws -> Attribution {
                try method.attribute(ids, targets: fixture.targets, model: model)
            }
            for (rule, file) in [
                (IntegrationRule.gaussLegendre, "gausslegendre"), (.riemannTrapezoid, "riemann_trapezoid"),
            ] {
                let ig = try attribution(
                    LayerAttribution(
                        IntegratedGradients(steps: 32, integration: rule), layer: fixture.layer, reduction: .sum,
                        baselineInput: padding))
                let reference = try fixture.array("ig-\(file)-32.tokens")
                #expect(normalisedError(try ig.values.toArray(), reference) < 1e-4, "IG \(file), \(note)")
                let deltas = try fixture.array("ig-\(file)-32.delta")
                let scale = Double(deltas.map(abs).max()!) + 1e-3
                #expect(
                    zip(ig.convergenceDeltas!, deltas).allSatisfy { Double(abs($0 - $1)) < 1e-3 * scale + 2e-4 },
                    "IG \(file) deltas \(ig.convergenceDeltas!) vs \(deltas), \(note)")
            }
            let saliency = try attribution(
                LayerAttribution(Saliency(absolute: false), layer: fixture.layer, reduction: .l2Norm))
            #expect(normalisedError(try saliency.values.toArray(), try fixture.array("saliency-l2")) < 1e-4, "\(note)")
            let gradientTimesEmbedding = try attribution(
                LayerAttribution(InputXGradient(), layer: fixture.layer, reduction: .sum))
            #expect(
                normalisedError(
                    try gradientTimesEmbedding.values.toArray(), try fixture.array("gradient-x-embedding.tokens"))
                    < 1e-4,
                "\(note)")
            let unknown = try attribution(TokenOcclusion(mode: .replace(with: 1)))
            #expect(normalisedError(try unknown.values.toArray(), try fixture.array("occlusion-unk")) < 1e-4, "\(note)")
            let removed = try attribution(TokenOcclusion(mode: .remove))
            #expect(
                normalisedError(try removed.values.toArray(), try fixture.array("occlusion-remove")) < 1e-4, "\(note)")
        }
    }

    /// SmoothGrad on the embeddings: with vanishing noise it is the plain embedding gradient
    /// (Captum's saliency summed over the dimension), and OpenCL draws the CPU's noise.
    @Test func smoothGradOnEmbeddingsTendsToTheGradientAndAgreesAcrossBackends() throws {
        let fixture = try #require(TextFixtureModel.all.first { $0.name == "lstm" })
        func smooth(_ sigma: Float, on backend: any Backend) throws -> [Float] {
            let (model, ids) = try fixture.load(on: backend)
            let method = LayerAttribution(
                NoiseTunnel(Saliency(absolute: false), samples: 8, noise: .absolute(sigma), seed: 3),
                layer: fixture.layer, reduction: .sum)
            return try method.attribute(ids, targets: fixture.targets, model: model).values.toArray()
        }
        #expect(normalisedError(try smooth(1e-4, on: CPUBackend.shared), try fixture.array("saliency-sum")) < 1e-3)
        let noisy = try smooth(0.5, on: CPUBackend.shared)
        #expect(normalisedError(noisy, try fixture.array("saliency-sum")) > 1e-2)
        if !openCLDevices.isEmpty {
            #expect(normalisedError(try smooth(0.5, on: try OpenCLBackend.shared(deviceIndex: 0)), noisy) < 1e-4)
        }
    }
}
