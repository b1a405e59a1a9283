import Foundation
import GlassboxCore
import GlassboxTestSupport
import Testing
@testable import GlassboxONNX

/// Bad ONNX files end in one clear error naming the file — never a crash.
@Suite("ONNX files that are wrong")
struct ONNXFileTests {
    func temporaryFile(_ data: Data, name: String = "model.onnx") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// The error of loading `url`, which must be an invalidFile naming it.
    func loadError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            _ = try ONNXImporter.load(from: url, backend: CPUBackend.shared)
            return nil
        } catch GlassboxError.invalidFile(let path, let reason) {
            #expect(path == url.path, sourceLocation: sourceLocation)
            #expect(!reason.contains("\n"), sourceLocation: sourceLocation)
            return reason
        } catch {
            Issue.record("expected an invalidFile error, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    var model: Data { get throws { try Data(contentsOf: fixtures.appendingPathComponent("residual.onnx")) } }

    @Test func truncationsAtManyOffsetsAreReported() throws {
        let bytes = try model
        for length in Array(stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97))) + [bytes.count - 1] {
            let url = try temporaryFile(bytes.prefix(length))
            #expect(loadError(url) != nil, "truncated to \(length) of \(bytes.count) bytes")
        }
    }

    @Test func flippedBytesNeverCrash() throws {
        let bytes = [UInt8](try model)
        var generator = SplitMix64(seed: 77)
        for _ in 0..<200 {
            var damaged = bytes
            damaged[generator.index(damaged.count)] ^= UInt8(1 << generator.index(8))
            let url = try temporaryFile(Data(damaged))
            do {
                _ = try ONNXImporter.load(from: url, backend: CPUBackend.shared)
            } catch GlassboxError.invalidFile(let path, _) {
                #expect(path == url.path)
            } catch {
                Issue.record("expected an invalidFile error, got \(error)")
            }
        }
    }

    @Test func missingAndEmptyFiles() throws {
        #expect(loadError(URL(fileURLWithPath: "/nonexistent/model.onnx")) == "no such file")
        #expect(loadError(try temporaryFile(Data())) == "the file is empty")
        #expect(loadError(try temporaryFile(Data("not a model".utf8)))?.contains("not a valid ONNX model") == true)
    }

    /// A model of one node of `operation`, at `opset`.
    func singleNodeModel(_ operation: String, opset: Int64 = 13, inputs: Int = 1) throws -> Data {
        var model = Onnx_ModelProto()
        model.irVersion = 7
        var opsetImport = Onnx_OperatorSetIdProto()
        opsetImport.version = opset
        model.opsetImport = [opsetImport]
        var node = Onnx_NodeProto()
        node.opType = operation
        node.name = "the_node"
        node.input = (0..<inputs).map { "x\($0)" }
        node.output = ["y"]
        model.graph.node = [node]
        model.graph.input = (0..<inputs).map { index in
            var input = Onnx_ValueInfoProto()
            input.name = "x\(index)"
            input.type.tensorType.elemType = 1
            input.type.tensorType.shape.dim = [Int64(1), 3, 4, 4].map { value in
                var dimension = Onnx_TensorShapeProto.Dimension()
                dimension.dimValue = value
                return dimension
            }
            return input
        }
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        model.graph.output = [output]
        return try model.serializedData()
    }

    @Test func unsupportedOperatorsNameTheOperatorNodeAndOpset() throws {
        let reason = try #require(loadError(try temporaryFile(try singleNodeModel("Einsum"))))
        #expect(reason.contains("Einsum"))
        #expect(reason.contains("the_node"))
        #expect(reason.contains("opset 13"))
        #expect(reason.contains("supported operators: Add"))
    }

    @Test func opsetsOutsideSevenToTwentyOneAreRefused() throws {
        #expect(loadError(try temporaryFile(try singleNodeModel("Relu", opset: 6)))?.contains("opset 6 is not supported (7 to 21 are)") == true)
        #expect(loadError(try temporaryFile(try singleNodeModel("Relu", opset: 22)))?.contains("opset 22") == true)
        #expect(loadError(try temporaryFile(try singleNodeModel("Relu", opset: 21))) == nil)
    }

    @Test func modelsWithSeveralInputsAreRefused() throws {
        #expect(loadError(try temporaryFile(try singleNodeModel("Add", inputs: 2)))?.contains("exactly one input") == true)
    }

    @Test func externalDataMustBeBesideTheModel() throws {
        let url = try temporaryFile(try Data(contentsOf: fixtures.appendingPathComponent("external_data.onnx")))
        #expect(loadError(url)?.contains("external_data.weights.bin") == true)
        let weights = try Data(contentsOf: fixtures.appendingPathComponent("external_data.weights.bin"))
        try weights.prefix(weights.count / 2).write(to: url.deletingLastPathComponent().appendingPathComponent("external_data.weights.bin"))
        do {
            _ = try ONNXImporter.load(from: url, backend: CPUBackend.shared)
            Issue.record("a short external data file was accepted")
        } catch GlassboxError.invalidFile(_, let reason) {
            #expect(reason.contains("bytes"))
        }
    }

    @Test func tensorDecodingChecksCounts() throws {
        var tensor = Onnx_TensorProto()
        tensor.name = "w"
        tensor.dims = [2, 3]
        tensor.dataType = 1
        tensor.floatData = [1, 2, 3]
        #expect(throws: GlassboxError.self) { _ = try ONNXTensorDecoding.decode(tensor) }
        tensor.floatData = []
        tensor.rawData = Data(count: 23)
        #expect(throws: GlassboxError.self) { _ = try ONNXTensorDecoding.decode(tensor) }
        tensor.dims = [Int64.max, 2]
        #expect(throws: GlassboxError.self) { _ = try ONNXTensorDecoding.decode(tensor) }
        tensor.dims = [2]
        tensor.dataType = 7
        tensor.rawData = Data([255, 255, 255, 255, 255, 255, 255, 255, 3, 0, 0, 0, 0, 0, 0, 0])
        #expect(try ONNXTensorDecoding.decode(tensor).values == [-1, 3])
        tensor.dataType = 10
        tensor.rawData = Data([0x00, 0x3C, 0x00, 0xC0])
        #expect(try ONNXTensorDecoding.decode(tensor).values == [1, -2])
    }
}
