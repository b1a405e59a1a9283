import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxNN
import GlassboxONNX
import GlassboxText

/// `glassbox info MODEL`: the input, the outputs, the nodes with their shapes and parameter counts.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's input, outputs, nodes (with their names in the source file), shapes and parameters.",
        discussion: """
            Every node is listed by its Glassbox name (for ONNX models its output value) and its source name \
            (the ONNX node name Netron shows); --layer and --output-node take either, or a unique end of either.
            """)

    @Argument(help: "The model: an ONNX file (.onnx) or a Glassbox model (.glassbox).")
    var model: String

    @Option(
        name: .customLong("output-node"),
        help: "The output to show the model computing (default: the first declared output).")
    var outputNode: String?

    @Option(
        name: .customLong("input-shape"),
        help:
            "ONNX models whose input has symbolic dimensions besides the batch ([N, 3, H, W]): the shape of one sample, e.g. 3,224,224."
    )
    var inputShape: String?

    func run() throws {
        let source = ModelSource(path: model, outputNode: outputNode)
        let (graph, metadata) = try source.load(backend: CPUBackend.shared, sampleShape: givenSampleShape)
        let declared = source.isONNX ? try DeclaredInput.read(from: URL(fileURLWithPath: model)) : nil
        print("model   \(model)")
        print("input   \(graph.inputName) \(graph.inputShape)\(declared.map { "  declared \($0)" } ?? "")")
        if InputLayout.detected(in: graph) == .nhwc {
            print("layout  NHWC (images are fed H×W×C; glassbox explains it channels first)")
        }
        print("output  \(graph.outputName) \(graph.shapes[graph.outputName]!.sampleShape)")
        var rows = [["node", "source", "type", "inputs", "output shape", "parameters"]]
        for node in graph.nodes {
            let count = node.layer.parameterSpecs.reduce(0) { $0 + $1.shape.count }
            rows.append([
                node.name, node.sourceName ?? "-", node.layer.typeName, node.inputs.joined(separator: ","),
                graph.shapes[node.name]!.sampleShape.description, String(count),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        for row in rows {
            print(
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("parameters \(graph.parameterCount)")
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard key == TextPipeline.vocabularyMetadataKey else {
                print("\(key): \(value)")
                continue
            }
            let vocabulary = try TextPipeline(metadata: metadata).vocabulary
            let first = vocabulary.tokens.prefix(8).joined(separator: " ")
            print("\(key): \(vocabulary.count) tokens (\(first) …)")
        }
    }

    /// `--input-shape` as the sample shape of a model with symbolic input dimensions.
    func givenSampleShape(_ declared: DeclaredInput) throws -> Shape {
        guard let inputShape else {
            throw GlassboxError.invalidArgument(
                "\(model): the input '\(declared.name)' is declared \(declared); give --input-shape with the shape of one sample, e.g. 3,224,224"
            )
        }
        guard let dimensions = CommaSeparated.values(inputShape, as: Int.self), dimensions.allSatisfy({ $0 > 0 })
        else {
            throw GlassboxError.invalidArgument(
                "--input-shape needs positive integers separated by commas, got '\(inputShape)'")
        }
        return Shape(dimensions)
    }
}
