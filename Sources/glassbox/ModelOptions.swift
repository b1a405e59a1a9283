import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxNN
import GlassboxONNX

/// The `--model` of commands that run a model, and which of its outputs to compute.
struct ModelOptions: ParsableArguments {
    @Option(help: "The model: an ONNX file (.onnx) or a Glassbox model (.glassbox).")
    var model: String

    @Option(
        name: .customLong("output-node"),
        help:
            "The output to compute: one of the outputs the model declares (`glassbox info` lists them), or any node (ONNX: its output value or node name); default: the first declared output."
    )
    var outputNode: String?

    /// The model file and output these options name.
    var source: ModelSource { ModelSource(path: model, outputNode: outputNode) }
}

/// A model file, the output to compute, and how to load it.
struct ModelSource {
    /// The `.onnx` or `.glassbox` file.
    var path: String
    /// The output to compute; nil for the first declared one.
    var outputNode: String?

    /// Whether the file is an ONNX model rather than a native `.glassbox` one.
    var isONNX: Bool { URL(fileURLWithPath: path).pathExtension.lowercased() == "onnx" }

    /// Loads the model onto `backend`, with what its file says about itself (`format`, and for
    /// ONNX `opset`, `producer` and the declared `outputs`).
    ///
    /// An ONNX model whose input has symbolic dimensions besides the batch (`[N, 3, H, W]`) is
    /// imported a second time with the sample shape `sampleShape` makes from the declared input
    /// (from the user's input).
    func load(backend: any Backend, sampleShape: (DeclaredInput) throws -> Shape) throws
        -> (graph: Graph, metadata: [String: String])
    {
        let url = URL(fileURLWithPath: path)
        guard isONNX else {
            let (graph, metadata) = try ModelFile.load(from: url, backend: backend)
            guard let outputNode else { return (graph, metadata) }
            let output = try graph.nodeName(matching: outputNode, option: "--output-node")
            return (
                try Graph(
                    inputName: graph.inputName, inputShape: graph.inputShape, nodes: graph.nodes, outputName: output,
                    parameters: graph.parameters, backend: backend), metadata
            )
        }
        var options = ImportOptions(output: outputNode)
        let imported: ImportedModel
        do {
            imported = try ONNXImporter.load(from: url, backend: backend, options: options)
        } catch let error as GlassboxError {
            guard let declared = try? DeclaredInput.read(from: url), declared.hasSymbolicSampleDimensions else {
                throw error
            }
            options.sampleShape = try sampleShape(declared)
            imported = try ONNXImporter.load(from: url, backend: backend, options: options)
        }
        return (
            imported.graph,
            [
                "format": "ONNX", "opset": String(imported.opset), "producer": imported.producer,
                "outputs": imported.outputs.joined(separator: ", "),
            ]
        )
    }
}

extension Graph {
    /// The node a command-line option names (see `nodeName(matching:)`); an error names the option.
    func nodeName(matching query: String, option: String) throws -> String {
        do {
            return try nodeName(matching: query)
        } catch GlassboxError.invalidArgument(let message) {
            throw GlassboxError.invalidArgument("\(option): \(message)")
        }
    }
}
