import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX
import Testing

@testable import GlassboxExplain

/// The folder of fixtures written by `scripts/make_captum_fixtures.py`.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// A fixture case: an ONNX model and inputs in the fixture folder of its generator.
protocol ONNXFixtureCase {
    /// The folder of the case's files.
    static var folder: URL { get }
    var onnx: String { get }
    var inputs: String { get }
}

extension ONNXFixtureCase {
    func array(_ name: String) throws -> NumpyArray {
        try NumpyArray.read(from: Self.folder.appendingPathComponent(name))
    }

    func load(on backend: any Backend) throws -> (model: Graph, inputs: Tensor) {
        let model = try ONNXImporter.load(from: Self.folder.appendingPathComponent(onnx), backend: backend).graph
        let inputs = try array(self.inputs)
        return (model, try backend.upload(inputs.values, shape: inputs.shape))
    }
}

/// One case of `Fixtures/manifest.json`.
struct CaptumCase: ONNXFixtureCase, Decodable, CustomStringConvertible, Sendable {
    static var folder: URL { fixtures }

    let model: String
    let method: String
    let file: String
    let onnx: String
    let inputs: String
    let logits: String
    let targets: [Int]
    let parameters: Parameters
    let layer: String?
    let relu: Bool?
    let interpolateMode: String?
    let deltaFile: String?
    let sampleIndex: Int?

    struct Parameters: Decodable, Sendable {
        let abs: Bool?
        let nSteps: Int?
        let method: String?
        let slidingWindowShapes: [Int]?
        let strides: [Int]?
        let baselines: Float?
        let stdevs: Float?
        let ntSamples: Int?
    }

    var description: String { (file as NSString).deletingPathExtension }

    static let all: [CaptumCase] = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = (try? Data(contentsOf: fixtures.appendingPathComponent("manifest.json"))) ?? Data("[]".utf8)
        return (try? decoder.decode([CaptumCase].self, from: data)) ?? []
    }()

    /// The cases whose maps are deterministic (all but the noise tunnel).
    static var exact: [CaptumCase] { all.filter { $0.sampleIndex == nil } }

    /// The Glassbox method with this case's Captum parameters.
    func attributionMethod() throws -> any AttributionMethod {
        let upsampling = interpolateMode.flatMap(Resampling.init(rawValue:))
        switch method {
        case "saliency", "saliency-signed": return Saliency(absolute: parameters.abs ?? true)
        case "input-x-gradient": return InputXGradient()
        case "integrated-gradients":
            let rule = try #require(
                IntegrationRule.allCases.first {
                    $0.rawValue.replacingOccurrences(of: "-", with: "")
                        == parameters.method!.replacingOccurrences(of: "_", with: "")
                })
            return IntegratedGradients(
                steps: parameters.nSteps!, integration: rule, baseline: .constant(parameters.baselines ?? 0))
        case "guided-backprop": return ModifiedReLUGradient.guidedBackprop
        case "deconvnet": return ModifiedReLUGradient.deconvnet
        case "grad-cam", "grad-cam-upsampled":
            return ClassActivationMap(.gradCAM, layer: layer, relu: relu ?? true, upsampling: upsampling)
        case "grad-cam-plus-plus": return ClassActivationMap(.gradCAMPlusPlus, layer: layer)
        case "guided-grad-cam": return GuidedGradCAM(layer: layer, upsampling: upsampling ?? .nearest)
        case "occlusion":
            return Occlusion(
                window: parameters.slidingWindowShapes!, strides: parameters.strides!,
                baseline: parameters.baselines ?? 0)
        default: throw GlassboxError.invalidArgument("no Glassbox method for fixture method '\(method)'")
        }
    }
}

@Suite("Agreement with Captum and pytorch-grad-cam")
struct CaptumFixtureTests {
    @Test func theManifestIsPresent() {
        #expect(CaptumCase.all.count >= 30)
    }

    @Test func importedModelsGivePyTorchsLogits() throws {
        for name in Set(CaptumCase.all.map(\.model)).sorted() {
            let fixture = try #require(CaptumCase.all.first { $0.model == name })
            let (model, inputs) = try fixture.load(on: CPUBackend.shared)
            #expect(
                normalisedError(try model.predict(inputs).toArray(), try fixture.array(fixture.logits).values) < 1e-5,
                "\(name)")
        }
    }

    /// Within 1e-4 of max |reference| (Grad-CAM++ on the digits net: 1e-3, as its
    /// denominators come within 0.3% of zero, so float32 rounding is amplified).
    @Test(arguments: CaptumCase.exact)
    func mapMatchesTheReference(_ fixture: CaptumCase) throws {
        let (model, inputs) = try fixture.load(on: CPUBackend.shared)
        let attribution = try fixture.attributionMethod().attribute(inputs, targets: fixture.targets, model: model)
        let reference = try fixture.array(fixture.file)
        #expect(attribution.values.shape == reference.shape)
        let tolerance = fixture.method == "grad-cam-plus-plus" && fixture.model == "digits_cnn" ? 1e-3 : 1e-4
        #expect(normalisedError(try attribution.values.toArray(), reference.values) < tolerance)
        if let deltaFile = fixture.deltaFile {
            let deltas = try fixture.array(deltaFile).values
            let scale = Double(deltas.map(abs).max()!) + 1e-3
            #expect(
                zip(attribution.convergenceDeltas!, deltas).allSatisfy { Double(abs($0 - $1)) < 1e-3 * scale + 2e-4 },
                "deltas \(attribution.convergenceDeltas!) vs \(deltas)")
        }
    }

    /// SmoothGrad is a Monte-Carlo mean, so it equals Captum's NoiseTunnel only
    /// in expectation: with per-element variance v (Captum's VarGrad), n of ours
    /// and m of Captum's samples, each element's difference has standard error
    /// √(v/n + v/m); the largest z-score over the 768 elements stays below 5.
    @Test func smoothGradConvergesToCaptumsNoiseTunnel() throws {
        let cases = Dictionary(
            uniqueKeysWithValues: CaptumCase.all.filter { $0.sampleIndex != nil }.map { ($0.method, $0) })
        let smooth = try #require(cases["smoothgrad"]), variance = try fixture(cases["vargrad"]),
            squares = try fixture(cases["smoothgrad-sq"])
        let (model, batch) = try smooth.load(on: CPUBackend.shared)
        let input = try CPUBackend.shared.slice(batch, axis: 0, range: smooth.sampleIndex!..<(smooth.sampleIndex! + 1))
        let samples = 1024, captumSamples = smooth.parameters.ntSamples!
        func run(_ statistic: NoiseTunnel.Statistic) throws -> [Float] {
            try NoiseTunnel(
                Saliency(absolute: false), statistic: statistic, samples: samples,
                noise: .absolute(smooth.parameters.stdevs!), seed: 1
            )
            .attribute(input, targets: smooth.targets, model: model).values.toArray()
        }
        let ours = try run(.smoothGrad), reference = try smooth.array(smooth.file).values
        let z = zip(zip(ours, reference), variance.values).map { pair, v in
            Double(abs(pair.0 - pair.1))
                / (Double(v) / Double(samples) + Double(v) / Double(captumSamples) + 1e-20).squareRoot()
        }
        #expect(z.max()! < 5, "largest z-score \(z.max()!)")
        // The second moments agree to Monte-Carlo accuracy too.
        #expect(normalisedError(try run(.varGrad), variance.values) < 0.15)
        #expect(normalisedError(try run(.smoothGradSquared), squares.values) < 0.15)
    }

    func fixture(_ item: CaptumCase?) throws -> NumpyArray {
        let item = try #require(item)
        return try item.array(item.file)
    }
}
