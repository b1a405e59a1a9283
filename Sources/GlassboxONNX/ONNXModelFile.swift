import Foundation
import GlassboxCore
import SwiftProtobuf

/// A parsed `.onnx` file: the model, its default-domain opset, and its
/// external initializer data loaded from beside it.
///
/// Every problem with the file is one `GlassboxError.invalidFile(path:reason:)`
/// naming the model file: missing, empty, not a (complete) protobuf, no graph,
/// an IR version or default-domain opset outside what the importer reads, or
/// external initializer data that is missing or too short.
struct ONNXModelFile {
    /// The opsets of the default domain (`""` or `"ai.onnx"`) the importer reads.
    static let supportedOpsets = 7...21
    /// The IR versions read: 3 (the first with `opset_import`) to the newest of the bundled `onnx.proto`.
    static let supportedIRVersions = 3...Int64(Onnx_Version.irVersion.rawValue)

    /// The model, with every external initializer's bytes moved into `raw_data`.
    var model: Onnx_ModelProto
    /// The model's default-domain opset version.
    let opset: Int

    /// Reads and checks the model at `url`, loading external initializer data
    /// from the files named relative to the model's folder.
    static func read(from url: URL) throws -> ONNXModelFile {
        let path = url.path
        let data = try readNonEmptyFile(at: url)
        var model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw GlassboxError.invalidFile(
                path: path, reason: "not a valid ONNX model (truncated or corrupted protobuf: \(error))")
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw GlassboxError.invalidFile(path: path, reason: "not a valid ONNX model (it holds no graph)")
        }
        guard supportedIRVersions.contains(model.irVersion) else {
            let reason =
                model.irVersion == 0
                ? "not a valid ONNX model (it declares no IR version)"
                : "IR version \(model.irVersion) is not supported (\(supportedIRVersions.lowerBound) to \(supportedIRVersions.upperBound) are)"
            throw GlassboxError.invalidFile(path: path, reason: reason)
        }
        let opset = try defaultOpset(of: model, path: path)
        let folder = url.deletingLastPathComponent()
        for index in model.graph.initializer.indices where model.graph.initializer[index].dataLocation == .external {
            try ONNXExternalData.load(into: &model.graph.initializer[index], folder: folder, modelPath: path)
        }
        return ONNXModelFile(model: model, opset: opset)
    }

    /// The default-domain opset `model` imports, checked against ``supportedOpsets``.
    static func defaultOpset(of model: Onnx_ModelProto, path: String) throws -> Int {
        let defaultDomain = model.opsetImport.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        guard let version = defaultDomain.map(\.version).max() else {
            throw GlassboxError.invalidFile(path: path, reason: "the model imports no opset of the default ONNX domain")
        }
        guard version >= Int64(supportedOpsets.lowerBound), version <= Int64(supportedOpsets.upperBound) else {
            throw GlassboxError.invalidFile(
                path: path,
                reason:
                    "opset \(version) is not supported (\(supportedOpsets.lowerBound) to \(supportedOpsets.upperBound) are)"
            )
        }
        return Int(version)
    }

    /// The bytes of the file at `url`; a missing, unreadable or empty file is an error naming it.
    static func readNonEmptyFile(at url: URL) throws -> Data {
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw GlassboxError.invalidFile(path: path, reason: "no such file")
        }
        guard !isFolder.boolValue else {
            throw GlassboxError.invalidFile(path: path, reason: "is a folder, not a file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw GlassboxError.invalidFile(path: path, reason: "the file is empty") }
        return data
    }
}
