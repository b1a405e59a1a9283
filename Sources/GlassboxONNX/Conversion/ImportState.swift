import GlassboxCore
import GlassboxNN

/// What the importer has built so far: graph nodes with their parameters and
/// shapes (batch of one), values known at load time, and names that stand for
/// other names (Identity, inference-mode Dropout outputs).
///
/// Shapes are those of a batch of one, and a value's tensor for N samples stacks
/// N such blocks along axis 0 (see ``ONNXImporter``). An operator that works
/// along axis 0 of the batch-of-one value (a transpose that moves it, a gather
/// from it, a broadcast across it) is built on the value seen with an explicit
/// sample axis in front (``withSampleAxis(_:)``) and its result is laid back
/// (``addDroppingSampleAxis(_:from:)``).
struct ImportState {
    let inputName: String
    let opset: Int
    private(set) var nodes: [Node] = []
    private(set) var parameters: [String: ConstantTensor] = [:]
    private(set) var shapes: [String: Shape]
    var constants: [String: ConstantTensor] = [:]
    private var aliases: [String: String] = [:]
    /// Values an operator declares but the importer does not compute (an LSTM's last cell
    /// state), each with the reason: reading one fails with it.
    var unsupported: [String: String] = [:]
    /// The computed ONNX values of an integer or bool type (token ids, masks), by ONNX name:
    /// they are carried as floats, so casting one to another integer type changes nothing.
    private var integerValues: Set<String> = []

    /// The ONNX element types (`TensorProto.DataType`) of integers and bool.
    static let integerTypes: Set<Int> = [2, 3, 4, 5, 6, 7, 9, 12, 13]
    /// The ONNX element types of floating-point numbers (float, float16, double, bfloat16).
    static let floatTypes: Set<Int> = [1, 10, 11, 16]

    init(inputName: String, sampleShape: Shape, opset: Int) {
        self.inputName = inputName
        self.opset = opset
        shapes = [inputName: Shape([1] + sampleShape.dimensions)]
    }

    /// The graph value a name stands for.
    func resolve(_ name: String) -> String { aliases[name] ?? name }

    /// Makes `name` stand for `target`.
    mutating func alias(_ name: String, to target: String) { aliases[name] = resolve(target) }

    /// Whether `name` is the output of a graph node (not the input, not a constant).
    func producesNode(_ name: String) -> Bool { name != inputName && shapes[name] != nil }

    /// Records that graph node `node` carries the output of the ONNX node named `sourceName`.
    mutating func setSourceName(_ sourceName: String, of node: String) {
        guard let index = nodes.lastIndex(where: { $0.name == node }) else { return }
        nodes[index].sourceName = sourceName
    }

    /// Whether `name` is known at load time.
    func isConstant(_ name: String) -> Bool { constants[name] != nil }

    /// Whether the ONNX value `name` has an integer or bool type (a constant: whether it holds integers).
    func holdsIntegers(_ name: String) -> Bool { constants[name]?.integral ?? integerValues.contains(name) }

    /// Records that the computed ONNX value `name` has an integer or bool type (the graph input's ids).
    mutating func markIntegers(_ name: String) { integerValues.insert(name) }

    /// Records the element types of `node`'s outputs as ONNX types them: an integer Cast, a
    /// comparison or logic gives integers (bool), Where the type of its operands, and every
    /// other supported operator the type of its first input.
    mutating func recordOutputTypes(of node: ONNXNode) throws {
        let integers: Bool =
            switch node.opType {
            case "Cast": Self.integerTypes.contains(try node.int("to"))
            case "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Not", "And", "Or", "Xor": true
            case "Where": node.input(1).map(holdsIntegers) ?? false
            default: node.input(0).map(holdsIntegers) ?? false
            }
        guard integers else { return }
        for output in node.outputs where !output.isEmpty && constants[output] == nil { integerValues.insert(output) }
    }

    /// The constant named `name`, or a clear error naming its use.
    func constant(_ name: String, for use: @autoclosure () -> String) throws -> ConstantTensor {
        guard let value = constants[name] else {
            throw GlassboxError.invalidModel(
                "\(use()) must be a constant (an initializer or a foldable computation), but '\(name)' is computed from the input"
            )
        }
        return value
    }

    /// The shape (batch of one) of a graph value.
    func shape(of name: String) throws -> Shape {
        guard let shape = shapes[resolve(name)] else {
            if let reason = unsupported[resolve(name)] {
                throw GlassboxError.invalidModel("value '\(name)' \(reason)")
            }
            throw GlassboxError.invalidModel("value '\(name)' is used before it is produced")
        }
        return shape
    }

    /// The name of a value equal to `name` with a sample axis of extent 1 in front
    /// of its batch-of-one shape, so that axis 0 of the tensor counts samples and
    /// every axis of the value becomes an ordinary one (a reshape, free at run time).
    mutating func withSampleAxis(_ name: String) throws -> String {
        let source = resolve(name), unfolded = "\(source)#sample"
        if shapes[unfolded] == nil { try add(unfolded, Reshape(try shape(of: source)), inputs: [source]) }
        return unfolded
    }

    /// Adds node `name`: the value `source`, whose batch-of-one shape starts with a
    /// sample axis, with that axis removed.
    mutating func addDroppingSampleAxis(_ name: String, from source: String) throws {
        let dimensions = try shape(of: source).dimensions
        guard dimensions.count >= 2, dimensions[0] == 1 else {
            throw GlassboxError.invalidModel(
                "value '\(name)' of shape \(Shape(Array(dimensions.dropFirst()))) per sample has no axis left to stack samples along"
            )
        }
        try add(name, Reshape(Shape(Array(dimensions.dropFirst(2)))), inputs: [source])
    }

    /// Adds node `name` computing `layer` on the inputs, built on the inputs seen
    /// with a sample axis in front when `alongSamples` (the layer's axes then count
    /// that axis), so that the operator may work along the values' axis 0.
    mutating func add(
        _ name: String, alongSamples: Bool, inputs: [String], parameters: [String: ConstantTensor] = [:],
        _ layer: (_ axisOffset: Int) throws -> any Layer
    ) throws {
        guard alongSamples else { return try add(name, try layer(0), inputs: inputs, parameters: parameters) }
        let unfolded = try inputs.map { try withSampleAxis($0) }
        try add("\(name)#sample", try layer(1), inputs: unfolded, parameters: parameters)
        try addDroppingSampleAxis(name, from: "\(name)#sample")
    }

    /// The operands of `node` as computed values: each constant among them becomes
    /// a node that repeats it for every sample (with leading axes of extent 1 up to
    /// the operands' largest rank, and ±∞ made the largest finite values when
    /// `finite`).
    mutating func computedOperands(_ names: [String], for node: ONNXNode, finite: Bool = false) throws -> [String] {
        guard let reference = names.first(where: { !isConstant($0) }) else {
            throw node.problem("has no operand computed from the input")
        }
        var rank = 0
        for name in names { rank = max(rank, try constants[name]?.shape.count ?? shape(of: name).rank) }
        let referenceElements = try shape(of: reference).count
        var operands = [String]()
        for (index, name) in names.enumerated() {
            guard var constant = constants[name] else {
                operands.append(name)
                continue
            }
            constant.shape = Array(repeating: 1, count: rank - constant.shape.count) + constant.shape
            if finite {
                constant.values = constant.values.map {
                    min(max($0, -Double(Float.greatestFiniteMagnitude)), Double(Float.greatestFiniteMagnitude))
                }
            }
            let repeated = "\(node.output)#operand\(index)"
            try add(
                repeated, SampleConstant(valueShape: constant.glassboxShape, referenceElements: referenceElements),
                inputs: [reference], parameters: ["value": constant])
            operands.append(repeated)
        }
        return operands
    }

    /// Adds a node named `name` reading `inputs`, with its parameters, and records its output shape.
    mutating func add(_ name: String, _ layer: any Layer, inputs: [String], parameters: [String: ConstantTensor] = [:])
        throws
    {
        let resolved = inputs.map(resolve)
        let inputShapes = try resolved.map { try shape(of: $0) }
        guard shapes[name] == nil else { throw GlassboxError.invalidModel("value '\(name)' is produced twice") }
        let node = Node(name, layer, inputs: resolved)
        let outputShape = try layer.outputShape(for: inputShapes)
        guard outputShape.rank >= 1 else {
            throw GlassboxError.invalidModel(
                "value '\(name)' is a scalar for each sample, which leaves no axis to stack samples along")
        }
        shapes[name] = outputShape
        for spec in layer.parameterSpecs {
            guard let value = parameters[spec.name] else {
                throw GlassboxError.invalidModel("\(name): no value for the layer parameter '\(spec.name)'")
            }
            guard Shape(value.shape).count == spec.shape.count else {
                throw GlassboxError.shapeMismatch(
                    "\(name): parameter '\(spec.name)' has shape \(Shape(value.shape)), the layer needs \(spec.shape)")
            }
            self.parameters[node.parameterName(spec.name)] = ConstantTensor(
                shape: spec.shape.dimensions, values: value.values)
        }
        nodes.append(node)
    }
}
