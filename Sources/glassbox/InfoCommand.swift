import ArgumentParser
import GlassboxCore
import GlassboxNN

/// `glassbox info MODEL`: the nodes, their shapes and the parameter count.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a model's nodes, output shapes and parameter counts.")

    @Argument(help: "The model: an ONNX file (.onnx) or a Glassbox model (.glassbox).")
    var model: String

    func run() throws {
        let (graph, metadata) = try InputLoading.model(model, backend: CPUBackend.shared)
        print("model   \(model)")
        print("input   \(graph.inputName) \(graph.inputShape)")
        print("output  \(graph.outputName) \(graph.shapes[graph.outputName]!.sampleShape)")
        var rows = [["node", "type", "inputs", "output shape", "parameters"]]
        for node in graph.nodes {
            let count = node.layer.parameterSpecs.reduce(0) { $0 + $1.shape.count }
            rows.append([
                node.name, node.layer.typeName, node.inputs.joined(separator: ","),
                graph.shapes[node.name]!.sampleShape.description, String(count),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        for row in rows {
            print(
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("parameters \(graph.parameterCount)")
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { print("\(key): \(value)") }
    }
}
