import GlassboxCore
import GlassboxNN

/// What the importer has built so far: graph nodes with their parameters and
/// shapes (batch of one), values known at load time, and names that stand for
/// other names (Identity, inference-mode Dropout outputs).
struct ImportState {
    let inputName: String
    let opset: Int
    private(set) var nodes: [Node] = []
    private(set) var parameters: [String: ConstantTensor] = [:]
    private(set) var shapes: [String: Shape]
    var constants: [String: ConstantTensor] = [:]
    private var aliases: [String: String] = [:]

    init(inputName: String, sampleShape: Shape, opset: Int) {
        self.inputName = inputName
        self.opset = opset
        shapes = [inputName: Shape([1] + sampleShape.dimensions)]
    }

    /// The graph value a name stands for.
    func resolve(_ name: String) -> String { aliases[name] ?? name }

    /// Makes `name` stand for `target`.
    mutating func alias(_ name: String, to target: String) { aliases[name] = resolve(target) }

    /// Whether `name` is known at load time.
    func isConstant(_ name: String) -> Bool { constants[name] != nil }

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
            throw GlassboxError.invalidModel("value '\(name)' is used before it is produced")
        }
        return shape
    }

    /// Adds a node named `name` reading `inputs`, with its parameters, and records its output shape.
    mutating func add(_ name: String, _ layer: any Layer, inputs: [String], parameters: [String: ConstantTensor] = [:])
        throws
    {
        let resolved = inputs.map(resolve)
        let inputShapes = try resolved.map { try shape(of: $0) }
        guard shapes[name] == nil else { throw GlassboxError.invalidModel("value '\(name)' is produced twice") }
        let node = Node(name, layer, inputs: resolved)
        shapes[name] = try layer.outputShape(for: inputShapes)
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
