import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX

/// Reading user files for commands, with errors that name the file.
enum InputLoading {
    /// Loads a model onto `backend`: an ONNX file (`.onnx`) or a native `.glassbox` file.
    static func model(_ path: String, backend: any Backend) throws -> (graph: Graph, metadata: [String: String]) {
        let url = URL(fileURLWithPath: path)
        guard url.pathExtension.lowercased() == "onnx" else { return try ModelFile.load(from: url, backend: backend) }
        let imported = try ONNXImporter.load(from: url, backend: backend)
        return (imported.graph, ["format": "ONNX", "opset": String(imported.opset), "producer": imported.producer])
    }

    /// Reads a `.npy` input as a batch for `graph`: one sample (C,H,W) or a batch (N,C,H,W).
    static func batch(_ path: String, for graph: Graph) throws -> Tensor {
        let array = try NumpyArray.read(from: URL(fileURLWithPath: path))
        let sample = graph.inputShape
        let shape: Shape
        if array.shape == sample {
            shape = Shape([1] + sample.dimensions)
        } else if array.shape.rank == sample.rank + 1, array.shape.sampleShape == sample, array.shape[0] > 0 {
            shape = array.shape
        } else {
            throw GlassboxError.invalidFile(
                path: path,
                reason:
                    "shape \(array.shape) does not match the model input \(sample) or a batch N×\(sample.dimensions.map(String.init).joined(separator: "×"))"
            )
        }
        guard array.values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidFile(path: path, reason: "contains NaN or infinite values")
        }
        return try graph.backend.upload(array.values, shape: shape)
    }
}
