import Foundation
import GlassboxCore
import SwiftProtobuf

/// A standalone serialized `TensorProto` file, as the ONNX backend test data
/// holds them (`test_data_set_0/input_0.pb`, `output_0.pb`).
///
/// Every problem is one `GlassboxError.invalidFile(path:reason:)` naming the file.
struct ONNXTensorFile {
    /// The tensor as stored (its data inline: these files have no external data).
    let tensor: Onnx_TensorProto

    /// Reads the tensor at `url`.
    static func read(from url: URL) throws -> ONNXTensorFile {
        let data = try ONNXModelFile.readNonEmptyFile(at: url)
        let tensor: Onnx_TensorProto
        do {
            tensor = try Onnx_TensorProto(serializedBytes: data)
        } catch {
            throw GlassboxError.invalidFile(
                path: url.path, reason: "not a valid ONNX tensor (truncated or corrupted protobuf: \(error))")
        }
        let file = ONNXTensorFile(tensor: tensor)
        _ = try file.checked(url) { try ONNXTensorDecoding.Layout($0) }
        return file
    }

    /// Reads the tensor at `url` and decodes it to Float32 values.
    static func readFloats(from url: URL) throws -> (shape: [Int], values: [Float]) {
        try read(from: url).checked(url) { try ONNXTensorDecoding.decodeFloats($0) }
    }

    /// The result of `decoding` the tensor, with errors naming the file at `url`.
    private func checked<Result>(_ url: URL, _ decoding: (Onnx_TensorProto) throws -> Result) throws -> Result {
        do {
            return try decoding(tensor)
        } catch GlassboxError.invalidModel(let reason) {
            throw GlassboxError.invalidFile(path: url.path, reason: reason)
        }
    }
}
