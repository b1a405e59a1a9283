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
    /// The graph outputs the file declares, in order; ``graph`` computes the chosen one.
    public let outputs: [String]
    /// The ONNX node names (as Netron shows them, "/layer4/layer4.1/conv2/Conv")
    /// of the nodes that became graph nodes, each with the name of its graph node
    /// (its output value).
    public let nodeNames: [String: String]
}

/// What to import besides the file's defaults.
public struct ImportOptions: Sendable {
    /// The graph output to compute (a declared output or any node's output value,
    /// or an ONNX node name); nil takes the first declared output.
    public var output: String?
    /// The shape of one input sample, which fills in the input's symbolic
    /// dimensions besides the batch axis (a fully convolutional model declared
    /// `[N, 3, H, W]`); it must agree with every fixed dimension.
    public var sampleShape: Shape?

    /// Options that choose `output` (nil: the first declared output) and resolve the
    /// input's symbolic dimensions from `sampleShape` (nil: the declared dimensions must all be fixed).
    public init(output: String? = nil, sampleShape: Shape? = nil) {
        self.output = output
        self.sampleShape = sampleShape
    }
}

/// Imports ONNX models (opsets 7 to 21) into a `Graph` on any backend.
///
/// Every node becomes a Glassbox layer named after its output value, so layer
/// activations and Grad-CAM can address it; Dropout nodes are kept for
/// MC-dropout; computations on constants (shape arithmetic, masks, index
/// tables) are folded at load time. Anything else ends in one error naming the
/// file, the node, its operator and the opset.
///
/// ## Batch convention
///
/// The importer reads the model for a batch of one: `Shape` of any value gives
/// its batch-of-one shape, and every value's shape is that of one sample. A
/// batch of N samples runs as N such blocks stacked along axis 0, so a value the
/// export folds windows or attention heads into (Swin's (N·windows)×49×C, a
/// ViT's heads) stays per sample, and an operator that works along a value's
/// axis 0 (PyTorch's MultiheadAttention transposes its batch axis to the
/// middle) is built on the value seen with an explicit sample axis in front.
/// The samples stay independent: the result for each is what onnxruntime
/// computes for it alone. A model that mixes the samples of a batch (batch
/// statistics, a reshape that moves one sample into another) cannot be expressed
/// per sample and computes each sample on its own.
///
/// ## Integer inputs
///
/// A graph input of an integer or bool type (a text model's int64 token ids, see
/// ``DeclaredInput/elementType``) is fed as float32 values of whole numbers, exact up to
/// 2²⁴. The importer follows ONNX's element types through the graph: a computed integer or
/// bool value cast to int32 or int64 is the same value, and a Gather of the rows of a
/// constant 2-D table by computed ids becomes an `Embedding` (PyTorch's `nn.Embedding`).
public enum ONNXImporter {
    /// Reads and converts the `.onnx` file at `url` onto `backend`.
    public static func load(from url: URL, backend: any Backend, options: ImportOptions = ImportOptions()) throws
        -> ImportedModel
    {
        let file = try ONNXModelFile.read(from: url)
        do {
            return try convert(file.model, opset: file.opset, backend: backend, options: options)
        } catch let error as GlassboxError {
            switch error {
            case .invalidFile, .invalidArgument: throw error
            default: throw GlassboxError.invalidFile(path: url.path, reason: "\(error)")
            }
        }
    }

    /// Converts a parsed model.
    static func convert(
        _ model: Onnx_ModelProto, opset: Int, backend: any Backend, options: ImportOptions = ImportOptions()
    ) throws -> ImportedModel {
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
        let sample = try sampleShape(of: input, given: options.sampleShape)
        var state = ImportState(inputName: input.name, sampleShape: sample, opset: opset)
        state.constants = constants
        if DeclaredInput(input).holdsIntegers { state.markIntegers(input.name) }
        var nodeNames = [String: String]()
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
            try state.recordOutputTypes(of: node)
            if !proto.name.isEmpty, let output = proto.output.first, state.producesNode(output) {
                nodeNames[proto.name] = state.resolve(output)
                state.setSourceName(proto.name, of: state.resolve(output))
            }
        }
        let declared = graph.output.map(\.name)
        guard let first = declared.first else { throw GlassboxError.invalidModel("the graph declares no output") }
        let outputName =
            try options.output.map { try chosenOutput($0, declared: declared, nodeNames: nodeNames, state: state) }
            ?? first
        let output = state.resolve(outputName)
        if let reason = state.unsupported[output] {
            throw GlassboxError.invalidModel("the output '\(outputName)' \(reason)")
        }
        guard !state.isConstant(outputName), state.producesNode(output) else {
            throw GlassboxError.invalidModel("the output '\(outputName)' does not depend on the input")
        }
        let outputShape = try state.shape(of: output)
        guard outputShape.rank >= 1, outputShape[0] == 1 else {
            throw GlassboxError.invalidModel(
                "the output '\(outputName)' has shape \(outputShape) for one input sample; its first axis must be the batch axis"
            )
        }
        let parameters = try state.parameters.mapValues { try backend.upload($0.floats, shape: $0.glassboxShape) }
        let result = try Graph(
            inputName: state.inputName, inputShape: sample, nodes: state.nodes,
            outputName: output, parameters: parameters, backend: backend)
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ImportedModel(graph: result, opset: opset, producer: producer, outputs: declared, nodeNames: nodeNames)
    }

    /// The value named by the user's `--output-node`: a declared output, a node's
    /// output value or an ONNX node name.
    static func chosenOutput(_ name: String, declared: [String], nodeNames: [String: String], state: ImportState)
        throws -> String
    {
        if declared.contains(name) || state.producesNode(state.resolve(name)) { return name }
        if let value = nodeNames[name] { return value }
        throw GlassboxError.invalidArgument(
            "the model has no output or node '\(name)'; its outputs are \(declared.joined(separator: ", "))")
    }

    /// The shape of one sample of the graph input: its declared dimensions after
    /// the first (the batch axis, fixed or symbolic), with symbolic ones taken
    /// from `given`.
    static func sampleShape(of input: Onnx_ValueInfoProto, given: Shape? = nil) throws -> Shape {
        let dimensions = input.type.tensorType.shape.dim
        guard input.type.tensorType.hasShape, dimensions.count >= 2 else {
            throw GlassboxError.invalidModel("the input '\(input.name)' declares no shape with a batch axis")
        }
        if let given {
            guard given.rank == dimensions.count - 1 else {
                throw GlassboxError.invalidArgument(
                    "the input has shape \(given) per sample, the model's input '\(input.name)' has \(dimensions.count - 1) axes per sample"
                )
            }
        }
        return Shape(
            try dimensions.dropFirst().enumerated().map { axis, dimension in
                if case .dimValue(let value) = dimension.value, value > 0, value <= Int64(Int32.max) {
                    if let given, given[axis] != Int(value) {
                        throw GlassboxError.invalidArgument(
                            "the input has shape \(given) per sample, the model's input '\(input.name)' needs \(value) along axis \(axis + 1)"
                        )
                    }
                    return Int(value)
                }
                guard let given else {
                    throw GlassboxError.invalidModel(
                        "the input '\(input.name)' has a symbolic dimension along axis \(axis + 1); give an input to resolve it"
                    )
                }
                return given[axis]
            })
    }
}
