import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN
import GlassboxOpenCL
import Testing

@testable import GlassboxONNX

/// The torchvision classification zoo of `scripts/export_torchvision_zoo.py` (random
/// weights, a photo as input; not in git), run when `GLASSBOX_MODELS` names the folder
/// holding its `zoo/` output: every architecture's prediction against onnxruntime, a
/// batch of two through the dynamic-batch exports, and the input gradient and
/// Integrated Gradients against PyTorch + Captum, on the CPU and on OpenCL.
@Suite(
    "The torchvision zoo against onnxruntime and Captum",
    .enabled(if: TorchvisionZoo.folder != nil, "GLASSBOX_MODELS has no zoo/ folder"))
struct TorchvisionZooTests {
    @Test(arguments: TorchvisionZoo.models)
    func predictionMatchesOnnxruntime(_ name: String) throws {
        try TorchvisionZoo.checkPrediction(name, backend: CPUBackend.shared)
    }

    @Test(arguments: TorchvisionZoo.gradientModels)
    func gradientsMatchCaptumOnTheCPU(_ name: String) throws {
        try TorchvisionZoo.checkGradients(name, backend: CPUBackend.shared)
    }

    @Test(
        .enabled(if: ((try? OpenCLDevice.all()) ?? []).isEmpty == false, "no OpenCL device"),
        arguments: TorchvisionZoo.gradientModels)
    func gradientsMatchCaptumOnOpenCL(_ name: String) throws {
        let backend = try OpenCLBackend.shared(deviceIndex: 0)
        try TorchvisionZoo.checkPrediction(name, backend: backend)
        try TorchvisionZoo.checkGradients(name, backend: backend)
    }
}

/// A folder below `GLASSBOX_MODELS` (nil when unset or absent) and the models in it: the
/// names of its `.onnx` files that have every one of the companion files `suffixes` name.
func optInModels(_ subfolder: String, requiring suffixes: [String] = []) -> (folder: URL?, models: [String]) {
    guard let root = ProcessInfo.processInfo.environment["GLASSBOX_MODELS"] else { return (nil, []) }
    let folder = URL(fileURLWithPath: root).appendingPathComponent(subfolder)
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return (nil, []) }
    let models = files.filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }
        .filter { name in suffixes.allSatisfy { files.contains(name + $0) } }
    return (folder, models.sorted())
}

enum TorchvisionZoo {
    static let folder = optInModels("zoo").folder

    /// Every exported file with a recorded output (`<name>.onnx`, `<name>.batch2.onnx`).
    static var models: [String] { optInModels("zoo", requiring: [".output.npy"]).models }

    /// The architectures with Captum fixtures (`<name>.gradients.json`).
    static var gradientModels: [String] { optInModels("zoo", requiring: [".output.npy", ".gradients.json"]).models }

    static func array(_ file: String) throws -> NumpyArray {
        try NumpyArray.read(from: folder!.appendingPathComponent(file))
    }

    static func model(_ name: String, backend: any Backend) throws -> Graph {
        try ONNXImporter.load(from: folder!.appendingPathComponent("\(name).onnx"), backend: backend).graph
    }

    /// The logits within 1e-3 of the largest reference logit.
    static func checkPrediction(_ name: String, backend: any Backend) throws {
        try expectMatchesOnnxruntime(name, in: folder!, backend: backend, limit: 1e-3)
    }

    /// Captum's record of one architecture's gradient fixtures.
    struct Gradients: Decodable {
        struct IntegratedGradients: Decodable {
            var file: String
            var n_steps: Int
        }

        struct Saliency: Decodable { var file: String }

        /// How far Captum's float32 results are from its float64 ones (normalised error).
        struct Float32Error: Decodable {
            var saliency: Double
            var integrated_gradients: Double
        }

        var input: String
        var target: Int
        var saliency: Saliency
        var integrated_gradients: IntegratedGradients
        var float32_error: Float32Error
    }

    /// The signed input gradient and Gauss–Legendre Integrated Gradients (zero baseline)
    /// within 1e-3 of the largest of Captum's values — or, where Captum's own float32 result
    /// is further than 1e-4 from its float64 one, within ten times that distance: a ReLU
    /// network's input gradient is piecewise constant, and float32 rounding that flips one
    /// gate near zero changes it over the unit's receptive field, in PyTorch as in Glassbox.
    static func checkGradients(_ name: String, backend: any Backend) throws {
        let record = try JSONDecoder().decode(
            Gradients.self, from: Data(contentsOf: folder!.appendingPathComponent("\(name).gradients.json")))
        let graph = try model(name, backend: backend)
        let input = try array(record.input)
        let x = try backend.upload(input.values, shape: input.shape)
        let methods: [(any AttributionMethod, String, Double)] = [
            (Saliency(absolute: false), record.saliency.file, record.float32_error.saliency),
            (
                IntegratedGradients(steps: record.integrated_gradients.n_steps, integration: .gaussLegendre),
                record.integrated_gradients.file, record.float32_error.integrated_gradients
            ),
        ]
        for (method, file, float32Error) in methods {
            let attribution = try method.attribute(x, targets: [record.target], model: graph)
            let error = normalisedError(try attribution.values.toArray(), try array(file).values)
            let limit = float32Error > 1e-4 ? max(1e-3, 10 * float32Error) : 1e-3
            #expect(
                error < limit,
                "\(name) \(method.name) on \(backend.name): error \(error), Captum's float32 error \(float32Error)")
        }
    }
}

/// The ONNX model zoo's SqueezeNet 1.0, VGG-19 and ZFNet-512 as `scripts/make_zoo_lookalikes.py`
/// rebuilds them (the zoo's own graphs from the onnx package's `light_*.onnx`, with seeded
/// weights; not in git), at opsets 7, 9 and 12, against onnxruntime.
@Suite(
    "The ONNX model zoo's graphs against onnxruntime",
    .enabled(if: ZooLookalikes.folder != nil, "GLASSBOX_MODELS has no zoo-lookalikes/ folder"))
struct ZooLookalikeTests {
    @Test(arguments: ZooLookalikes.models)
    func outputMatchesOnnxruntime(_ name: String) throws {
        try expectMatchesOnnxruntime(name, in: ZooLookalikes.folder!)
    }

    /// The onnx package's `light_*.onnx` files themselves, whose weights are
    /// `ConstantOfShape` nodes of up to 4096×25088 values made at load time.
    @Test(arguments: ["light_squeezenet", "light_vgg19", "light_zfnet512"])
    func theLightFilesLoad(_ name: String) throws {
        let light = ZooLookalikes.folder!.appendingPathComponent("light")
        let graph = try ONNXImporter.load(
            from: light.appendingPathComponent("\(name).onnx"), backend: CPUBackend.shared
        ).graph
        let expected = try ONNXTensorFile.readFloats(from: light.appendingPathComponent("\(name)_output_0.pb"))
        let input = try CPUBackend.shared.filled(Shape([1] + graph.inputShape.dimensions), value: 0.5)
        let output = try graph.predict(input)
        #expect(output.shape.dimensions == expected.shape, "\(name)")
    }
}

enum ZooLookalikes {
    static let folder = optInModels("zoo-lookalikes").folder
    static var models: [String] { optInModels("zoo-lookalikes").models }
}
