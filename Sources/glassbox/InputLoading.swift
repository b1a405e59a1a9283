import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX

/// Reading `.npy` inputs for commands, with errors that name the file.
enum InputLoading {
    /// Reads a `.npy` input as a batch for `graph`, whose input is channels first: one sample
    /// or a batch (N first) in the model's `layout` (H×W×C samples for NHWC), turned channels
    /// first.
    static func batch(_ path: String, for graph: Graph, layout: InputLayout = .nchw) throws -> Tensor {
        let array = try NumpyArray.read(from: URL(fileURLWithPath: path))
        let sample = layout.modelShape(of: graph.inputShape)
        let count: Int
        if array.shape == sample {
            count = 1
        } else if array.shape.rank == sample.rank + 1, array.shape.sampleShape == sample, array.shape[0] > 0 {
            count = array.shape[0]
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
        if let rows = graph.inputEmbeddings.map(\.layer.vocabularySize).min(),
            let bad = array.values.firstIndex(where: { $0 < 0 || $0 >= Float(rows) || $0.rounded() != $0 })
        {
            throw GlassboxError.invalidFile(
                path: path, reason: "element \(bad) is \(array.values[bad]), not a token id of the model (0..<\(rows))")
        }
        return try graph.backend.upload(
            layout.channelsFirst(array.values, count: count, sample: sample),
            shape: Shape([count] + graph.inputShape.dimensions))
    }

    /// The shape of one sample of the `.npy` input at `path` for a model input declared as
    /// `declared`: the array's shape when it has the declared sample rank, without its first
    /// axis when it is a batch.
    static func sampleShape(ofNpy path: String, for declared: DeclaredInput) throws -> Shape {
        let shape = try NumpyArray.read(from: URL(fileURLWithPath: path)).shape
        let rank = declared.sampleDimensions.count
        if shape.rank == rank { return shape }
        if shape.rank == rank + 1 { return shape.sampleShape }
        throw GlassboxError.invalidFile(
            path: path, reason: "shape \(shape) does not match the model input, declared \(declared)")
    }
}
