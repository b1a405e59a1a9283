import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import Testing

@testable import GlassboxONNX

/// The folder of fixtures written by `scripts/make_onnx_fixtures.py`.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func npy(_ name: String) throws -> NumpyArray { try NumpyArray.read(from: fixtures.appendingPathComponent(name)) }

/// Imports `<name>.onnx` from `folder` onto `backend`, runs `<name>.input.npy` and expects
/// onnxruntime's `<name>.output.npy` within `limit` (normalised error).
func expectMatchesOnnxruntime(
    _ name: String, in folder: URL, backend: any Backend = CPUBackend.shared, limit: Double = 1e-4,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let graph = try ONNXImporter.load(from: folder.appendingPathComponent("\(name).onnx"), backend: backend).graph
    let input = try NumpyArray.read(from: folder.appendingPathComponent("\(name).input.npy"))
    let expected = try NumpyArray.read(from: folder.appendingPathComponent("\(name).output.npy"))
    let output = try graph.predict(try backend.upload(input.values, shape: input.shape))
    #expect(output.shape == expected.shape, "\(name)", sourceLocation: sourceLocation)
    #expect(
        normalisedError(try output.toArray(), expected.values) < limit, "\(name) on \(backend.name)",
        sourceLocation: sourceLocation)
}

/// Imported models give onnxruntime's outputs (fixtures from `scripts/make_onnx_fixtures.py`).
@Suite("ONNX models against onnxruntime")
struct ImportFixtureTests {
    static let models = [
        "small_cnn", "small_cnn_softmax", "opset7_cnn", "opset21_cnn", "residual", "concat_pool",
        "conv_variants", "reshape_chain", "external_data", "small_cnn_torch",
        "pad_lrn_transpose", "pad_opset7", "keras_nhwc", "attention",
    ]

    @Test(arguments: models)
    func outputMatchesOnnxruntime(_ name: String) throws {
        let imported = try ONNXImporter.load(
            from: fixtures.appendingPathComponent("\(name).onnx"), backend: CPUBackend.shared)
        let input = try npy("\(name).input.npy"), expected = try npy("\(name).output.npy")
        let record = try imported.graph.forward(try CPUBackend.shared.upload(input.values, shape: input.shape))
        #expect(record.output.shape == expected.shape)
        #expect(normalisedError(try record.output.toArray(), expected.values) < 1e-4, "\(name)")
        // Inner values written beside the model are addressable by their ONNX names.
        let prefix = "\(name)."
        for file in try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
        where file.hasPrefix(prefix) && file.hasSuffix(".npy")
            && ![prefix + "input.npy", prefix + "output.npy"].contains(file)
        {
            let value = String(file.dropFirst(prefix.count).dropLast(4))
            let reference = try npy(file)
            #expect(
                normalisedError(try record.activation(value).toArray(), reference.values) < 1e-4, "\(name): \(value)")
        }
    }

    /// A PyTorch export with its Dropout nodes preserved (README's recipe) keeps them,
    /// and in inference mode gives the eval-mode export's output.
    @Test(arguments: ["small_cnn", "small_cnn_torch_dropout"])
    func dropoutNodesSurviveImportForMCDropout(_ name: String) throws {
        let graph = try ONNXImporter.load(
            from: fixtures.appendingPathComponent("\(name).onnx"), backend: CPUBackend.shared
        ).graph
        #expect(graph.nodes.contains { $0.layer is Dropout })
        let input = try npy("\(name).input.npy")
        let x = try CPUBackend.shared.upload(input.values, shape: input.shape)
        let deterministic = try graph.predict(x).toArray()
        let sampled = try graph.forward(x, mode: .stochastic, randomStream: RandomStream(seed: 1)).output.toArray()
        #expect(deterministic != sampled)
        if name == "small_cnn_torch_dropout" {
            #expect(normalisedError(deterministic, try npy("small_cnn_torch.output.npy").values) < 1e-4)
        }
    }

    @Test func importedGraphsTakeGradientsLikeFiniteDifferences() throws {
        let graph = try ONNXImporter.load(
            from: fixtures.appendingPathComponent("residual.onnx"), backend: CPUBackend.shared
        ).graph
        let backend = CPUBackend.shared
        var generator = SplitMix64(seed: 4)
        let x = generator.floats(graph.inputShape.count)
        let shape = Shape([1] + graph.inputShape.dimensions)
        let outputCount = try graph.predict(try backend.upload(x, shape: shape)).count
        let r = generator.floats(outputCount)
        func objective(_ values: [Float]) throws -> Double {
            let output = try graph.predict(try backend.upload(values, shape: shape)).toArray()
            return zip(output, r).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let record = try graph.forward(try backend.upload(x, shape: shape))
        let seed = try backend.upload(r, shape: record.output.shape)
        let analytic = try graph.backward(record, seeds: [graph.outputName: seed]).gradient(at: graph.inputName)
            .toArray()
        var numeric = [Double](), sampled = [Double]()
        for index in stride(from: 0, to: x.count, by: 7) {
            var plus = x, minus = x
            plus[index] += 1e-2
            minus[index] -= 1e-2
            numeric.append((try objective(plus) - objective(minus)) / 2e-2)
            sampled.append(Double(analytic[index]))
        }
        #expect(normalisedError(sampled, numeric) < 2e-2)
    }
}

/// Models written by other exporters (`scripts/export_third_party_models.py`): Keras 3
/// through tf2onnx (NHWC input behind a Transpose, Clip bounds as inputs, SAME pads made
/// explicit) and PaddlePaddle through paddle2onnx (PRelu slopes of shape [C,1,1], HardSigmoid
/// for Hardswish, Flatten as Shape/Slice/Concat/Reshape), against onnxruntime on a batch of two.
@Suite("Third-party exporters against onnxruntime")
struct ExporterFixtureTests {
    @Test(arguments: ["keras_tf2onnx", "paddle_paddle2onnx"])
    func outputMatchesOnnxruntime(_ name: String) throws {
        try expectMatchesOnnxruntime(name, in: fixtures.appendingPathComponent("exporters"))
    }
}

/// The large PyTorch models of `scripts/export_pytorch_models.py` (not in git), run
/// when `GLASSBOX_MODELS` names the folder they were exported to.
@Suite(
    "Large PyTorch models against onnxruntime",
    .enabled(if: ProcessInfo.processInfo.environment["GLASSBOX_MODELS"] != nil, "GLASSBOX_MODELS is not set"))
struct LargeModelTests {
    @Test(arguments: ["resnet18", "vgg11", "mobilenet_v2"])
    func outputMatchesOnnxruntime(_ name: String) throws {
        try expectMatchesOnnxruntime(
            name, in: URL(fileURLWithPath: ProcessInfo.processInfo.environment["GLASSBOX_MODELS"]!))
    }
}

/// Single-operator models exported from PyTorch, from the onnx package's backend test data.
@Suite("ONNX backend test data")
struct BackendTestDataTests {
    static var cases: [String] {
        let root = fixtures.appendingPathComponent("backend")
        let collections = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return collections.flatMap { collection in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(collection).path)) ?? [])
                .map { "\(collection)/\($0)" }
        }.sorted()
    }

    @Test func casesArePresent() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases)
    func matchesTheRecordedOutput(_ name: String) throws {
        let folder = fixtures.appendingPathComponent("backend").appendingPathComponent(name)
        let graph = try ONNXImporter.load(from: folder.appendingPathComponent("model.onnx"), backend: CPUBackend.shared)
            .graph
        let data = folder.appendingPathComponent("test_data_set_0")
        let input = try ONNXTensorFile.readFloats(from: data.appendingPathComponent("input_0.pb"))
        let output = try ONNXTensorFile.readFloats(from: data.appendingPathComponent("output_0.pb"))
        let result = try graph.predict(try CPUBackend.shared.upload(input.values, shape: Shape(input.shape)))
        #expect(result.shape.dimensions == output.shape)
        #expect(normalisedError(try result.toArray(), output.values) < 1e-4, "\(name)")
    }
}
