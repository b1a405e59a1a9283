import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxONNX

/// Bad ONNX files end in one clear error naming the file — never a crash.
/// The reason of the invalidFile error `body` throws (which must name `url` in one line),
/// or nil when it throws nothing.
func invalidFileReason(_ url: URL, sourceLocation: SourceLocation, _ body: () throws -> Void) -> String? {
    do {
        try body()
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

func temporaryFile(_ data: Data, name: String = "model.onnx") throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-onnx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try data.write(to: url)
    return url
}

@Suite("ONNX files that are wrong")
struct ONNXFileTests {
    /// The error of loading `url`, which must be an invalidFile naming it.
    func loadError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        invalidFileReason(url, sourceLocation: sourceLocation) {
            _ = try ONNXImporter.load(from: url, backend: CPUBackend.shared)
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
        let reason = try #require(loadError(try temporaryFile(try singleNodeModel("NonMaxSuppression"))))
        #expect(reason.contains("NonMaxSuppression"))
        #expect(reason.contains("the_node"))
        #expect(reason.contains("opset 13"))
        #expect(reason.contains("supported operators: Abs, Add"))
    }

    @Test func opsetsOutsideSevenToTwentyOneAreRefused() throws {
        #expect(
            loadError(try temporaryFile(try singleNodeModel("Relu", opset: 6)))?.contains(
                "opset 6 is not supported (7 to 21 are)") == true)
        #expect(loadError(try temporaryFile(try singleNodeModel("Relu", opset: 22)))?.contains("opset 22") == true)
        #expect(loadError(try temporaryFile(try singleNodeModel("Relu", opset: 21))) == nil)
    }

    @Test func modelsWithSeveralInputsAreRefused() throws {
        #expect(
            loadError(try temporaryFile(try singleNodeModel("Add", inputs: 2)))?.contains("exactly one input") == true)
    }

    @Test func graphsWithCyclesAreRefused() throws {
        var model = try Onnx_ModelProto(serializedBytes: try singleNodeModel("Relu"))
        var first = model.graph.node[0], second = Onnx_NodeProto()
        first.input = ["z"]
        second.opType = "Add"
        second.name = "loop"
        second.input = ["y", "x0"]
        second.output = ["z"]
        model.graph.node = [first, second]
        #expect(
            loadError(try temporaryFile(try model.serializedData()))?.contains("'z' is used before it is produced")
                == true)
    }

    @Test func externalDataMustBeBesideTheModel() throws {
        let url = try temporaryFile(try Data(contentsOf: fixtures.appendingPathComponent("external_data.onnx")))
        #expect(loadError(url)?.contains("external_data.weights.bin") == true)
        let weights = try Data(contentsOf: fixtures.appendingPathComponent("external_data.weights.bin"))
        try weights.prefix(weights.count / 2).write(
            to: url.deletingLastPathComponent().appendingPathComponent("external_data.weights.bin"))
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

/// A fresh folder under the temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `data` to `name` in the folder.
    @discardableResult
    func write(_ data: Data, to name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Models built here through the generated types: one Conv node with a weight
/// initializer (inline or external) and a bias.
enum SmallModel {
    static let weights: [Float] = (0..<18).map { Float($0) * 0.25 - 2 }
    static let bias: [Float] = [0.5, -1.5]

    static func floatTensor(_ name: String, dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims
        tensor.dataType = 1
        tensor.rawData = littleEndian(values)
        return tensor
    }

    static func littleEndian(_ values: [Float]) -> Data {
        Data(values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) })
    }

    static func model(
        opset: Int64 = 13, domain: String = "", irVersion: Int64 = 7, externalWeights: [String: String]? = nil
    ) -> Onnx_ModelProto {
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "glassbox-tests"
        var opsetImport = Onnx_OperatorSetIdProto()
        opsetImport.domain = domain
        opsetImport.version = opset
        model.opsetImport = [opsetImport]
        var node = Onnx_NodeProto()
        node.opType = "Conv"
        node.input = ["x", "w", "b"]
        node.output = ["y"]
        model.graph.name = "small"
        model.graph.node = [node]
        var weight = floatTensor("w", dims: [2, 1, 3, 3], weights)
        if let externalWeights {
            weight.rawData = Data()
            weight.dataLocation = .external
            weight.externalData = externalWeights.sorted { $0.key < $1.key }.map { key, value in
                var entry = Onnx_StringStringEntryProto()
                entry.key = key
                entry.value = value
                return entry
            }
        }
        model.graph.initializer = [weight, floatTensor("b", dims: [2], bias)]
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        input.type.tensorType.elemType = 1
        model.graph.input = [input]
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        model.graph.output = [output]
        return model
    }
}

/// The file layer: `ONNXModelFile` and `ONNXTensorFile` on models and tensors built here.
@Suite("ONNX model and tensor files")
struct ONNXModelFileTests {
    /// The reason of the invalidFile error reading `url` gives; it must name `url`.
    func readError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let reason = invalidFileReason(url, sourceLocation: sourceLocation) { _ = try ONNXModelFile.read(from: url) }
        if reason == nil { Issue.record("\(url.lastPathComponent) was accepted", sourceLocation: sourceLocation) }
        return reason
    }

    @Test func modelsRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (opset, domain) in [(Int64(7), ""), (13, "ai.onnx"), (21, "")] {
            let model = SmallModel.model(opset: opset, domain: domain)
            let file = try ONNXModelFile.read(from: try folder.write(try model.serializedData(), to: "model.onnx"))
            #expect(file.model == model)
            #expect(file.opset == Int(opset))
            #expect(try ONNXTensorDecoding.decodeFloats(file.model.graph.initializer[0]).values == SmallModel.weights)
        }
    }

    @Test func missingEmptyAndForeignFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(readError(folder.url.appendingPathComponent("absent.onnx")) == "no such file")
        #expect(readError(folder.url) == "is a folder, not a file")
        #expect(readError(try folder.write(Data(), to: "empty.onnx")) == "the file is empty")
        let text = try #require(
            readError(try folder.write(Data("PK\u{3}\u{4} this is a zip, not a model".utf8), to: "zip.onnx")))
        #expect(text.hasPrefix("not a valid ONNX model (truncated or corrupted protobuf: "))
    }

    @Test func modelsWithoutAGraphAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var model = SmallModel.model()
        model.clearGraph()
        #expect(
            readError(try folder.write(try model.serializedData(), to: "m.onnx"))
                == "not a valid ONNX model (it holds no graph)")
    }

    @Test func irVersionsOutsideThreeToTheSchemasNewestAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func reason(_ version: Int64) throws -> String? {
            readError(
                try folder.write(try SmallModel.model(irVersion: version).serializedData(), to: "ir\(version).onnx"))
        }
        #expect(try reason(0) == "not a valid ONNX model (it declares no IR version)")
        #expect(try reason(2) == "IR version 2 is not supported (3 to 14 are)")
        #expect(try reason(15) == "IR version 15 is not supported (3 to 14 are)")
        for version: Int64 in [3, 14] {
            let url = try folder.write(try SmallModel.model(irVersion: version).serializedData(), to: "ok.onnx")
            #expect(try ONNXModelFile.read(from: url).model.irVersion == version)
        }
    }

    @Test func defaultDomainOpsetsMustBeSevenToTwentyOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func reason(_ model: Onnx_ModelProto) throws -> String? {
            readError(try folder.write(try model.serializedData(), to: "m.onnx"))
        }
        #expect(try reason(SmallModel.model(opset: 6)) == "opset 6 is not supported (7 to 21 are)")
        #expect(try reason(SmallModel.model(opset: 22, domain: "ai.onnx")) == "opset 22 is not supported (7 to 21 are)")
        #expect(try reason(SmallModel.model(opset: -1)) == "opset -1 is not supported (7 to 21 are)")
        #expect(
            try reason(SmallModel.model(opset: 1, domain: "com.microsoft"))
                == "the model imports no opset of the default ONNX domain")
        var none = SmallModel.model()
        none.opsetImport = []
        #expect(try reason(none) == "the model imports no opset of the default ONNX domain")
        // Another domain beside the default one does not matter here.
        var mixed = SmallModel.model(opset: 17)
        var extra = Onnx_OperatorSetIdProto()
        extra.domain = "ai.onnx.ml"
        extra.version = 99
        mixed.opsetImport.append(extra)
        #expect(
            try ONNXModelFile.read(from: try folder.write(try mixed.serializedData(), to: "mixed.onnx")).opset == 17)
    }

    @Test func truncationsAtEveryOffsetParseOrNameTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = try SmallModel.model().serializedData()
        var refused = 0
        for length in 0..<bytes.count {
            let url = try folder.write(bytes.prefix(length), to: "truncated.onnx")
            do {
                let file = try ONNXModelFile.read(from: url)
                for initializer in file.model.graph.initializer { _ = try? ONNXTensorDecoding.decode(initializer) }
            } catch GlassboxError.invalidFile(let path, let reason) {
                #expect(path == url.path)
                #expect(!reason.isEmpty)
                refused += 1
            } catch {
                Issue.record("truncated to \(length) bytes: expected an invalidFile error, got \(error)")
            }
        }
        #expect(refused > bytes.count / 2)
    }

    @Test func randomByteFlipsParseOrNameTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bytes = [UInt8](try SmallModel.model().serializedData())
        var generator = SplitMix64(seed: 2024)
        for round in 0..<400 {
            var damaged = bytes
            for _ in 0..<(1 + generator.index(4)) {
                damaged[generator.index(damaged.count)] ^= UInt8(truncatingIfNeeded: 1 + generator.index(255))
            }
            let url = try folder.write(Data(damaged), to: "flipped.onnx")
            do {
                let file = try ONNXModelFile.read(from: url)
                for initializer in file.model.graph.initializer {
                    do { _ = try ONNXTensorDecoding.decode(initializer) } catch let error as GlassboxError {
                        guard case .invalidModel = error else {
                            Issue.record("round \(round): \(error)")
                            continue
                        }
                    }
                }
            } catch GlassboxError.invalidFile(let path, _) {
                #expect(path == url.path, "round \(round)")
            } catch {
                Issue.record("round \(round): expected an invalidFile error, got \(error)")
            }
        }
    }

    /// Writes the small model with its weights external, plus `data` as `weights.bin` when given.
    func externalModel(_ folder: TemporaryFolder, entries: [String: String], data: Data?) throws -> URL {
        if let data { try folder.write(data, to: "weights.bin") }
        return try folder.write(try SmallModel.model(externalWeights: entries).serializedData(), to: "external.onnx")
    }

    @Test func externalDataIsReadFromBesideTheModel() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let weights = SmallModel.littleEndian(SmallModel.weights)
        // Whole file, no offset or length.
        var url = try externalModel(folder, entries: ["location": "weights.bin"], data: weights)
        var file = try ONNXModelFile.read(from: url)
        #expect(file.model.graph.initializer[0].dataLocation == .default)
        #expect(file.model.graph.initializer[0].externalData.isEmpty)
        #expect(try ONNXTensorDecoding.decodeFloats(file.model.graph.initializer[0]).values == SmallModel.weights)
        // At an offset, with a length, inside a larger file and a subfolder.
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("data"), withIntermediateDirectories: true)
        try folder.write(
            Data(repeating: 0xEE, count: 12) + weights + Data(repeating: 0xEE, count: 5), to: "data/all.bin")
        url = try externalModel(
            folder, entries: ["location": "data/all.bin", "offset": "12", "length": "\(weights.count)"], data: nil)
        file = try ONNXModelFile.read(from: url)
        #expect(try ONNXTensorDecoding.decodeFloats(file.model.graph.initializer[0]).values == SmallModel.weights)
    }

    @Test func missingExternalDataNamesTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try externalModel(folder, entries: ["location": "weights.bin"], data: nil)
        #expect(readError(url) == "initializer 'w' keeps its data in 'weights.bin', which is missing beside the model")
        let noLocation = try externalModel(folder, entries: ["offset": "0"], data: nil)
        #expect(readError(noLocation) == "initializer 'w' has external data without a location")
        for location in ["../weights.bin", "/etc/passwd", "data/../../weights.bin"] {
            let outside = try externalModel(folder, entries: ["location": location], data: nil)
            #expect(
                readError(outside)?.contains("'\(location)', which is not a path inside the model's folder") == true)
        }
    }

    @Test func externalDataOutOfBoundsIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let weights = SmallModel.littleEndian(SmallModel.weights)  // 72 bytes
        let cases: [([String: String], String)] = [
            (["offset": "73"], "needs data at offset 73 of 'weights.bin', which holds only 72 bytes"),
            (
                ["offset": "8", "length": "72"],
                "needs 72 bytes at offset 8 of 'weights.bin', which holds only 72 bytes"
            ),
            (
                ["length": "\(Int.max)"],
                "needs \(Int.max) bytes at offset 0 of 'weights.bin', which holds only 72 bytes"
            ),
            (
                ["offset": "\(Int.max)", "length": "\(Int.max)"],
                "needs \(Int.max) bytes at offset \(Int.max) of 'weights.bin', which holds only 72 bytes"
            ),
            (["offset": "-4"], "has external data with offset '-4', which is not a byte count"),
            (["length": "ten"], "has external data with length 'ten', which is not a byte count"),
            (
                ["offset": "99999999999999999999999"],
                "has external data with offset '99999999999999999999999', which is not a byte count"
            ),
        ]
        for (entries, expected) in cases {
            let url = try externalModel(
                folder, entries: entries.merging(["location": "weights.bin"]) { $1 }, data: weights)
            #expect(readError(url) == "initializer 'w' \(expected)")
        }
        // In bounds but the wrong size for the tensor: the file reads, decoding refuses.
        let short = try externalModel(folder, entries: ["location": "weights.bin", "length": "68"], data: weights)
        let file = try ONNXModelFile.read(from: short)
        #expect(
            throws: GlassboxError.invalidModel("tensor 'w' of shape [2, 1, 3, 3] needs 72 bytes of raw data, has 68")
        ) {
            try ONNXTensorDecoding.decode(file.model.graph.initializer[0])
        }
    }

    @Test func tensorFilesAreRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tensor = SmallModel.floatTensor("input_0", dims: [1, 2, 3, 3], SmallModel.weights)
        let url = try folder.write(try tensor.serializedData(), to: "input_0.pb")
        #expect(try ONNXTensorFile.read(from: url).tensor == tensor)
        let decoded = try ONNXTensorFile.readFloats(from: url)
        #expect(decoded.shape == [1, 2, 3, 3])
        #expect(decoded.values == SmallModel.weights)

        func reason(_ url: URL) -> String? {
            do {
                _ = try ONNXTensorFile.readFloats(from: url)
                return nil
            } catch GlassboxError.invalidFile(let path, let reason) {
                #expect(path == url.path)
                return reason
            } catch {
                Issue.record("expected an invalidFile error, got \(error)")
                return nil
            }
        }
        #expect(reason(folder.url.appendingPathComponent("output_0.pb")) == "no such file")
        #expect(reason(try folder.write(Data(), to: "empty.pb")) == "the file is empty")
        #expect(
            reason(try folder.write(Data([0xFF, 0xFF, 0xFF]), to: "junk.pb"))?.hasPrefix(
                "not a valid ONNX tensor (truncated or corrupted protobuf: ") == true)
        var wrongCount = tensor
        wrongCount.dims = [1, 2, 3, 4]
        #expect(
            reason(try folder.write(try wrongCount.serializedData(), to: "count.pb"))
                == "tensor 'input_0' of shape [1, 2, 3, 4] needs 96 bytes of raw data, has 72")
        var strings = tensor
        strings.dataType = 8
        #expect(
            reason(try folder.write(try strings.serializedData(), to: "strings.pb"))
                == "tensor 'input_0' has element type 8, which is not a supported numeric type")
        let bytes = try tensor.serializedData()
        for length in 1..<bytes.count {
            _ = reason(try folder.write(bytes.prefix(length), to: "truncated.pb"))
        }
    }

    @Test func theBackendTestDataReads() throws {
        let data = fixtures.appendingPathComponent("backend/pytorch-converted/test_AvgPool2d/test_data_set_0")
        try #require(FileManager.default.fileExists(atPath: data.path))
        let input = try ONNXTensorFile.readFloats(from: data.appendingPathComponent("input_0.pb"))
        #expect(input.values.count == input.shape.reduce(1, *))
        #expect(!input.shape.isEmpty)
    }
}

/// Decoding of every supported element type, from `raw_data` and from the typed fields.
@Suite("ONNX tensor decoding")
struct ONNXTensorDecodingTests {
    /// A typed field of `TensorProto` with its values.
    enum TypedField: Sendable {
        case float([Float]), double([Double]), int32([Int32]), int64([Int64]), uint64([UInt64])

        func store(in tensor: inout Onnx_TensorProto, droppingLast: Bool = false) {
            func cut<T>(_ values: [T]) -> [T] { droppingLast ? Array(values.dropLast()) : values }
            switch self {
            case .float(let values): tensor.floatData = cut(values)
            case .double(let values): tensor.doubleData = cut(values)
            case .int32(let values): tensor.int32Data = cut(values)
            case .int64(let values): tensor.int64Data = cut(values)
            case .uint64(let values): tensor.uint64Data = cut(values)
            }
        }
    }

    /// One element type: the code, the values it stands for, their little-endian bytes and their typed field.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let type: Int32
        let expected: [Double]
        let raw: [UInt8]
        let typed: TypedField
        var testDescription: String { name }

        func tensor(dims: [Int64] = [3]) -> Onnx_TensorProto {
            var tensor = Onnx_TensorProto()
            tensor.name = name.lowercased()
            tensor.dataType = type
            tensor.dims = dims
            return tensor
        }
    }

    static func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
    }

    static let cases: [Case] = [
        Case(
            name: "FLOAT", type: 1, expected: [1.5, -2, 0x1p-20],
            raw: bytes([Float(1.5), -2, 0x1p-20].map(\.bitPattern)),
            typed: .float([1.5, -2, 0x1p-20])),
        Case(
            name: "DOUBLE", type: 11, expected: [1e300, -0.1, 3], raw: bytes([1e300, -0.1, 3].map(\.bitPattern)),
            typed: .double([1e300, -0.1, 3])),
        Case(
            name: "FLOAT16", type: 10, expected: [1, -2, 0.5], raw: bytes([UInt16(0x3C00), 0xC000, 0x3800]),
            typed: .int32([0x3C00, 0xC000, 0x3800])),
        Case(
            name: "BFLOAT16", type: 16, expected: [1, -2, 0.5], raw: bytes([UInt16(0x3F80), 0xC000, 0x3F00]),
            typed: .int32([0x3F80, 0xC000, 0x3F00])),
        Case(
            name: "INT8", type: 3, expected: [-128, 127, -1], raw: bytes([Int8(-128), 127, -1]),
            typed: .int32([-128, 127, -1])),
        Case(
            name: "INT16", type: 5, expected: [-32768, 32767, -2], raw: bytes([Int16.min, Int16.max, -2]),
            typed: .int32([-32768, 32767, -2])),
        Case(
            name: "INT32", type: 6, expected: [Double(Int32.min), Double(Int32.max), -3],
            raw: bytes([Int32.min, Int32.max, -3]),
            typed: .int32([Int32.min, Int32.max, -3])),
        Case(
            name: "INT64", type: 7, expected: [-0x1p53, 0x1p53, -4], raw: bytes([Int64(-1) << 53, 1 << 53, -4]),
            typed: .int64([-1 << 53, 1 << 53, -4])),
        Case(
            name: "UINT8", type: 2, expected: [0, 255, 7], raw: bytes([UInt8(0), 255, 7]), typed: .int32([0, 255, 7])),
        Case(
            name: "UINT16", type: 4, expected: [0, 65535, 8], raw: bytes([UInt16(0), 65535, 8]),
            typed: .int32([0, 65535, 8])),
        Case(
            name: "UINT32", type: 12, expected: [0, 4_294_967_295, 9], raw: bytes([UInt32(0), UInt32.max, 9]),
            typed: .uint64([0, 4_294_967_295, 9])),
        Case(
            name: "UINT64", type: 13, expected: [0, 0x1p53, 10], raw: bytes([UInt64(0), 1 << 53, 10]),
            typed: .uint64([0, 1 << 53, 10])),
        Case(name: "BOOL", type: 9, expected: [1, 0, 1], raw: [1, 0, 1], typed: .int32([1, 0, 1])),
    ]

    @Test(arguments: cases)
    func decodesRawData(_ item: Case) throws {
        var tensor = item.tensor()
        tensor.rawData = Data(item.raw)
        let decoded = try ONNXTensorDecoding.decode(tensor)
        #expect(decoded.shape == [3])
        #expect(decoded.values == item.expected)
        #expect(try ONNXTensorDecoding.decodeFloats(tensor).values == item.expected.map(Float.init))
        // raw_data wins over a typed field.
        item.typed.store(in: &tensor, droppingLast: true)
        #expect(try ONNXTensorDecoding.decode(tensor).values == item.expected)
    }

    @Test(arguments: cases)
    func decodesTypedFields(_ item: Case) throws {
        var tensor = item.tensor()
        item.typed.store(in: &tensor)
        let decoded = try ONNXTensorDecoding.decode(tensor)
        #expect(decoded.shape == [3])
        #expect(decoded.values == item.expected)
        #expect(try ONNXTensorDecoding.decodeFloats(tensor).values == item.expected.map(Float.init))
    }

    @Test(arguments: cases)
    func countMismatchesAreRefused(_ item: Case) throws {
        let name = item.name.lowercased()
        var raw = item.tensor()
        raw.rawData = Data(item.raw.dropLast())
        #expect(
            throws: GlassboxError.invalidModel(
                "tensor '\(name)' of shape [3] needs \(item.raw.count) bytes of raw data, has \(item.raw.count - 1)")
        ) {
            try ONNXTensorDecoding.decode(raw)
        }
        var typed = item.tensor()
        item.typed.store(in: &typed, droppingLast: true)
        #expect(throws: GlassboxError.invalidModel("tensor '\(name)' of shape [3] holds 2 values instead of 3")) {
            try ONNXTensorDecoding.decode(typed)
        }
        var moreDims = item.tensor(dims: [2, 2])
        item.typed.store(in: &moreDims)
        #expect(throws: GlassboxError.invalidModel("tensor '\(name)' of shape [2, 2] holds 3 values instead of 4")) {
            try ONNXTensorDecoding.decodeFloats(moreDims)
        }
        var empty = item.tensor()
        #expect(throws: GlassboxError.self) { try ONNXTensorDecoding.decode(empty) }
        empty.dims = [0, 5]
        #expect(try ONNXTensorDecoding.decode(empty).values.isEmpty)
    }

    @Test func invalidDimensionsTypesAndLocationsAreRefused() throws {
        var tensor = Onnx_TensorProto()
        tensor.name = "w"
        tensor.dataType = 1
        for dims: [Int64] in [[-1], [Int64(Int32.max) + 1], [2, -3]] {
            tensor.dims = dims
            #expect(throws: GlassboxError.invalidModel("tensor 'w' has invalid dimensions \(dims)")) {
                try ONNXTensorDecoding.decode(tensor)
            }
        }
        // Dimensions whose product overflows Int.
        tensor.dims = [Int64(Int32.max), Int64(Int32.max), Int64(Int32.max)]
        #expect(throws: GlassboxError.invalidModel("tensor 'w' has dimensions \(tensor.dims), too many elements")) {
            try ONNXTensorDecoding.decode(tensor)
        }
        // A count that fits but whose byte size overflows.
        tensor.dims = [Int64(Int32.max), Int64(Int32.max), 2]
        tensor.dataType = 11
        tensor.rawData = Data([0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: GlassboxError.self) { try ONNXTensorDecoding.decode(tensor) }
        tensor.dims = [1]
        for type: Int32 in [0, 8, 14, 15, 17, 99] {
            tensor.dataType = type
            #expect(
                throws: GlassboxError.invalidModel(
                    "tensor 'w' has element type \(type), which is not a supported numeric type")
            ) {
                try ONNXTensorDecoding.decode(tensor)
            }
        }
        tensor.dataType = 1
        tensor.dataLocation = .external
        #expect(throws: GlassboxError.invalidModel("tensor 'w' keeps its data in an external file that was not loaded"))
        {
            try ONNXTensorDecoding.decode(tensor)
        }
    }
}
