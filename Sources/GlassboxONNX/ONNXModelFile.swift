import Foundation
import GlassboxCore
import SwiftProtobuf

/// A parsed `.onnx` file: the model, its default-domain opset, and its
/// external initializer data loaded from beside it.
struct ONNXModelFile {
    /// The opsets of the default domain the importer reads.
    static let supportedOpsets = 7...21

    var model: Onnx_ModelProto
    let opset: Int

    /// Reads `url`; every problem is one ``GlassboxError/invalidFile(path:reason:)`` naming the file.
    static func read(from url: URL) throws -> ONNXModelFile {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw GlassboxError.invalidFile(path: path, reason: "no such file") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw GlassboxError.invalidFile(path: path, reason: "the file is empty") }
        var model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "not a valid ONNX model (truncated or corrupted protobuf: \(error))")
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw GlassboxError.invalidFile(path: path, reason: "not a valid ONNX model (it holds no graph)")
        }
        let defaultDomain = model.opsetImport.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        guard let version = defaultDomain.map(\.version).max() else {
            throw GlassboxError.invalidFile(path: path, reason: "the model imports no opset of the default ONNX domain")
        }
        guard supportedOpsets.contains(Int(clamping: version)) else {
            throw GlassboxError.invalidFile(path: path, reason: "opset \(version) is not supported (\(supportedOpsets.lowerBound) to \(supportedOpsets.upperBound) are)")
        }
        let folder = url.deletingLastPathComponent()
        for index in model.graph.initializer.indices where model.graph.initializer[index].dataLocation == .external {
            try loadExternalData(of: &model.graph.initializer[index], folder: folder, modelPath: path)
        }
        return ONNXModelFile(model: model, opset: Int(version))
    }

    /// Replaces an external initializer's location by its bytes, read from the
    /// file its `location` names (relative to the model's folder) at `offset`, `length`.
    static func loadExternalData(of tensor: inout Onnx_TensorProto, folder: URL, modelPath: String) throws {
        let entries = Dictionary(tensor.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        guard let location = entries["location"], !location.isEmpty, !location.hasPrefix("/"), !location.contains("..") else {
            throw GlassboxError.invalidFile(path: modelPath, reason: "initializer '\(tensor.name)' has external data without a relative location")
        }
        let file = folder.appendingPathComponent(location)
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw GlassboxError.invalidFile(path: modelPath, reason: "initializer '\(tensor.name)' keeps its data in '\(location)', which is missing beside the model")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map { Int($0) } ?? 0
        let offset = Int(entries["offset"] ?? "0") ?? -1
        let length = entries["length"].map { Int($0) ?? -1 } ?? (size - offset)
        guard offset >= 0, length >= 0, offset <= size, length <= size - offset else {
            throw GlassboxError.invalidFile(path: file.path, reason: "initializer '\(tensor.name)' asks for bytes \(offset)..<\(offset + length) of a \(size)-byte file")
        }
        try handle.seek(toOffset: UInt64(offset))
        tensor.rawData = try handle.read(upToCount: length) ?? Data()
        tensor.dataLocation = .default
        tensor.externalData = []
    }
}
