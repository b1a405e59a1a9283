import Foundation
import GlassboxCore
import GlassboxNN

/// A model imported from ONNX, with what the file said about itself.
public struct ImportedModel: Sendable {
    /// The model as a Glassbox graph; each node is named after its ONNX output value.
    public let graph: Graph
    /// The default-domain opset the file was written for.
    public let opset: Int
    /// The program that wrote the file (e.g. "pytorch 2.5").
    public let producer: String
}

/// Imports ONNX models (opsets 7 to 21) into a `Graph` on any backend.
///
/// Every node becomes a Glassbox layer named after its output value, so layer
/// activations and Grad-CAM can address it; Dropout nodes are kept for
/// MC-dropout; shape computations over constants (as PyTorch exports for
/// `x.view(x.size(0), -1)`) are folded at load time. Anything else ends in one
/// error naming the file, the node, its operator and the opset.
public enum ONNXImporter {
    /// Reads and converts the `.onnx` file at `url` onto `backend`.
    public static func load(from url: URL, backend: any Backend) throws -> ImportedModel {
        let file = try ONNXModelFile.read(from: url)
        do {
            return try convert(file.model, opset: file.opset, backend: backend)
        } catch let error as GlassboxError {
            if case .invalidFile = error { throw error }
            throw GlassboxError.invalidFile(path: url.path, reason: "\(error)")
        }
    }

    /// Converts a parsed model.
    static func convert(_ model: Onnx_ModelProto, opset: Int, backend: any Backend) throws -> ImportedModel {
        let graph = model.graph
        var constants = [String: ConstantTensor]()
        for initializer in graph.initializer {
            constants[initializer.name] = try ConstantTensor(initializer, name: initializer.name)
        }
        let inputs = graph.input.filter { constants[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw GlassboxError.invalidModel(
                "the graph has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))); models with exactly one input are supported"
            )
        }
        var state = ImportState(inputName: input.name, sampleShape: try sampleShape(of: input), opset: opset)
        state.constants = constants
        for proto in graph.node {
            let node = ONNXNode(proto: proto)
            guard proto.domain.isEmpty || proto.domain == "ai.onnx" else {
                throw node.problem("belongs to the operator domain '\(proto.domain)', which is not supported")
            }
            guard let convert = OperatorTable.converters[proto.opType] else {
                throw node.problem(
                    "is not supported at opset \(opset); supported operators: \(OperatorTable.supported)")
            }
            try convert(&state, node)
        }
        guard let outputName = graph.output.first?.name else {
            throw GlassboxError.invalidModel("the graph declares no output")
        }
        let output = state.resolve(outputName)
        guard !state.isConstant(outputName), state.nodes.contains(where: { $0.name == output }) else {
            throw GlassboxError.invalidModel("the output '\(outputName)' does not depend on the input")
        }
        let parameters = try state.parameters.mapValues { try backend.upload($0.floats, shape: $0.glassboxShape) }
        let result = try Graph(
            inputName: state.inputName, inputShape: try sampleShape(of: input), nodes: state.nodes,
            outputName: output, parameters: parameters, backend: backend)
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ImportedModel(graph: result, opset: opset, producer: producer)
    }

    /// The shape of one sample of the graph input: its declared dimensions after
    /// the first (the batch axis, fixed or symbolic), which must all be known.
    static func sampleShape(of input: Onnx_ValueInfoProto) throws -> Shape {
        let dimensions = input.type.tensorType.shape.dim
        guard input.type.tensorType.hasShape, dimensions.count >= 2 else {
            throw GlassboxError.invalidModel("the input '\(input.name)' declares no shape with a batch axis")
        }
        return Shape(
            try dimensions.dropFirst().map { dimension in
                guard case .dimValue(let value) = dimension.value, value > 0, value <= Int64(Int32.max) else {
                    throw GlassboxError.invalidModel(
                        "the input '\(input.name)' has a symbolic or unknown dimension besides the batch axis")
                }
                return Int(value)
            })
    }
}
