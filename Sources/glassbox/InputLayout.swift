import ArgumentParser
import GlassboxCore
import GlassboxNN

/// How a model lays out one image sample: channels first (C×H×W, PyTorch's NCHW) or last
/// (H×W×C, the NHWC of Keras and TensorFlow exports).
///
/// Glassbox runs an NHWC model behind a transpose that takes C×H×W (``channelsFirst(_:)``), so
/// every command works channels first: images become C×H×W arrays as for any model, heatmaps
/// come out H×W, and attributions, `--window` and `.npy` baselines are C×H×W. Only `.npy`
/// inputs are given in the model's own layout and turned round on reading.
enum InputLayout: String, ExpressibleByArgument, CaseIterable {
    case nchw
    case nhwc

    /// The layout of `graph`'s input: NHWC when it is H×W×C with C of 1, 3 or 4 and the
    /// model's first step turns it channels first (every node that reads it is a transpose
    /// with permutation [0, 3, 1, 2], as tf2onnx exports Keras models); NCHW otherwise.
    static func detected(in graph: Graph) -> InputLayout {
        let shape = graph.inputShape, readers = graph.consumers(of: graph.inputName)
        let channelsLast =
            shape.rank == 3 && [1, 3, 4].contains(shape[2]) && !readers.isEmpty
            && readers.allSatisfy { ($0.layer as? Transpose)?.permutation == [0, 3, 1, 2] }
        return channelsLast ? .nhwc : .nchw
    }

    /// Whether declared sample dimensions look H×W×C before the model is imported: the last
    /// one fixed at 1, 3 or 4 and the first not.
    static func looksChannelsLast(_ dimensions: [Int?]) -> Bool {
        guard dimensions.count == 3, let channels = dimensions[2], [1, 3, 4].contains(channels) else { return false }
        return !(dimensions[0].map { [1, 3, 4].contains($0) } ?? false)
    }

    /// The positions of the channel, height and width axes in a sample of this layout.
    var axes: (channels: Int, height: Int, width: Int) { self == .nhwc ? (2, 0, 1) : (0, 1, 2) }

    /// `graph` taking channels-first samples: the graph itself for NCHW; for NHWC the graph
    /// behind a transpose node from a C×H×W input (named `<input>#nchw`) to the H×W×C value the
    /// model reads, which keeps its name, so every node and parameter keeps its own.
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` when an NHWC layout is asked of a model
    ///   whose input is not H×W×C with C of 1, 3 or 4.
    func channelsFirst(_ graph: Graph) throws -> Graph {
        guard self == .nhwc else { return graph }
        let shape = graph.inputShape
        guard shape.rank == 3, [1, 3, 4].contains(shape[2]) else {
            throw GlassboxError.invalidArgument(
                "--layout nhwc needs a model input of H×W×C per sample with C of 1, 3 or 4; this model's input is \(shape)"
            )
        }
        let input = "\(graph.inputName)#nchw"
        let transpose = Node(graph.inputName, Transpose([0, 2, 3, 1]), inputs: [input])
        return try Graph(
            inputName: input, inputShape: [shape[2], shape[0], shape[1]], nodes: [transpose] + graph.nodes,
            outputName: graph.outputName, parameters: graph.parameters, backend: graph.backend)
    }

    /// `values` of `count` samples of `sample` (in this layout) laid out channels first.
    func channelsFirst(_ values: [Float], count: Int, sample: Shape) -> [Float] {
        guard self == .nhwc else { return values }
        let (height, width, channels) = (sample[0], sample[1], sample[2])
        var result = [Float](repeating: 0, count: values.count)
        for n in 0..<count {
            let base = n * sample.count
            for y in 0..<height {
                for x in 0..<width {
                    for c in 0..<channels {
                        result[base + (c * height + y) * width + x] = values[base + (y * width + x) * channels + c]
                    }
                }
            }
        }
        return result
    }

    /// The sample shape in this layout of a channels-first C×H×W `sample`.
    func modelShape(of sample: Shape) -> Shape {
        self == .nhwc && sample.rank == 3 ? [sample[1], sample[2], sample[0]] : sample
    }
}
