import GlassboxCore

/// A model: a directed acyclic graph of named layer nodes on one backend.
///
/// The graph input is addressed by ``inputName``; every node's output by the
/// node's name. Construction checks the structure (unique names, known
/// inputs, no cycles), sorts the nodes topologically, infers every node's
/// shape and checks the parameters against the layers.
public struct Graph: Sendable {
    /// The name under which the graph input is addressed.
    public let inputName: String
    /// The shape of one input sample, without the batch axis (e.g. 1×8×8).
    public let inputShape: Shape
    /// The nodes in a topological order.
    public let nodes: [Node]
    /// The node whose output is the model's output.
    public let outputName: String
    /// Every parameter by full name ("conv1.weight"), on ``backend``.
    public private(set) var parameters: [String: Tensor]
    /// The output shape of each node (and of the input) for a batch of one.
    public let shapes: [String: Shape]
    /// The nodes that can do a neighbour's work inside their own kernels.
    public let fusionPlan: FusionPlan
    public let backend: any Backend

    public init(
        inputName: String = "input", inputShape: Shape, nodes: [Node], outputName: String? = nil,
        parameters: [String: Tensor], backend: any Backend
    ) throws {
        guard let last = nodes.last else { throw GlassboxError.invalidModel("the graph has no nodes") }
        self.inputName = inputName
        self.inputShape = inputShape
        self.outputName = outputName ?? last.name
        self.nodes = try Self.topologicallySorted(nodes, inputName: inputName)
        self.backend = backend
        var shapes = [inputName: inputShape.withBatchAxis]
        for node in self.nodes {
            do {
                shapes[node.name] = try node.layer.outputShape(for: node.inputs.map { shapes[$0]! })
            } catch let error as GlassboxError {
                throw GlassboxError.invalidModel("node '\(node.name)' (\(node.layer.typeName)): \(error)")
            }
        }
        guard shapes[self.outputName] != nil else {
            throw GlassboxError.invalidModel("the output '\(self.outputName)' is not a node of the graph")
        }
        self.shapes = shapes
        fusionPlan = FusionPlan(nodes: self.nodes, inputName: inputName)
        self.parameters = [:]
        try setParameters(parameters)
    }

    /// Replaces the parameters after checking that each one the layers need is
    /// present with its shape, and that none is left over.
    public mutating func setParameters(_ values: [String: Tensor]) throws {
        var expected = Set<String>()
        for node in nodes {
            for spec in node.layer.parameterSpecs {
                let name = node.parameterName(spec.name)
                expected.insert(name)
                guard let value = values[name] else {
                    throw GlassboxError.invalidModel("parameter '\(name)' is missing")
                }
                guard value.shape == spec.shape else {
                    throw GlassboxError.invalidModel(
                        "parameter '\(name)' has shape \(value.shape), the layer needs \(spec.shape)")
                }
            }
        }
        if let extra = Set(values.keys).subtracting(expected).sorted().first {
            throw GlassboxError.invalidModel("parameter '\(extra)' belongs to no layer")
        }
        parameters = values
    }

    /// The node named `name`.
    public func node(named name: String) throws -> Node {
        guard let node = nodes.first(where: { $0.name == name }) else {
            throw GlassboxError.invalidModel(
                "no node named '\(name)'; nodes are \(nodes.map(\.name).joined(separator: ", "))")
        }
        return node
    }

    /// The nodes that read the output of the node (or the input) named `name`, in topological order.
    public func consumers(of name: String) -> [Node] {
        nodes.filter { $0.inputs.contains(name) }
    }

    /// The parameters of one node by their short names.
    func parameters(of node: Node) -> [String: Tensor] {
        Dictionary(
            uniqueKeysWithValues: node.layer.parameterSpecs.compactMap { spec in
                parameters[node.parameterName(spec.name)].map { (spec.name, $0) }
            })
    }

    /// The names of all parameters training updates.
    public var trainableParameterNames: [String] {
        nodes.flatMap { node in node.layer.parameterSpecs.filter(\.trainable).map { node.parameterName($0.name) } }
    }

    /// The total number of parameter values.
    public var parameterCount: Int { parameters.values.reduce(0) { $0 + $1.count } }

    /// Orders nodes so each comes after its inputs (Kahn's algorithm), rejecting
    /// duplicate names, unknown inputs and cycles.
    static func topologicallySorted(_ nodes: [Node], inputName: String) throws -> [Node] {
        var byName = [String: Node]()
        for node in nodes {
            guard node.name != inputName, byName.updateValue(node, forKey: node.name) == nil else {
                throw GlassboxError.invalidModel("two nodes are named '\(node.name)'")
            }
        }
        var pending = [String: Int](), consumers = [String: [String]]()
        for node in nodes {
            for input in node.inputs {
                guard input == inputName || byName[input] != nil else {
                    throw GlassboxError.invalidModel(
                        "node '\(node.name)' reads '\(input)', which is neither a node nor the input")
                }
                if input != inputName {
                    pending[node.name, default: 0] += 1
                    consumers[input, default: []].append(node.name)
                }
            }
        }
        var ready = nodes.filter { pending[$0.name, default: 0] == 0 }.map(\.name)
        var sorted = [Node]()
        while !ready.isEmpty {
            let name = ready.removeFirst()
            sorted.append(byName[name]!)
            for consumer in consumers[name, default: []] {
                pending[consumer]! -= 1
                if pending[consumer] == 0 { ready.append(consumer) }
            }
        }
        guard sorted.count == nodes.count else {
            let stuck = nodes.map(\.name).filter { pending[$0, default: 0] > 0 }
            throw GlassboxError.invalidModel("the graph has a cycle through \(stuck.joined(separator: ", "))")
        }
        return sorted
    }
}

extension Shape {
    /// The shape with a leading batch axis of one.
    var withBatchAxis: Shape { Shape([1] + dimensions) }

    /// The number of elements, or nil if it overflows `Int` (shapes read from a
    /// file must not trap).
    var checkedCount: Int? {
        dimensions.reduce(Int?(1)) { product, dimension in
            product.flatMap {
                let (value, overflow) = $0.multipliedReportingOverflow(by: dimension)
                return overflow ? nil : value
            }
        }
    }
}

extension Graph {
    /// The same graph with its parameters copied to `backend`.
    public func moved(to backend: any Backend) throws -> Graph {
        let copied = try parameters.mapValues { try backend.upload(try $0.toArray(), shape: $0.shape) }
        return try Graph(
            inputName: inputName, inputShape: inputShape, nodes: nodes, outputName: outputName,
            parameters: copied, backend: backend)
    }
}
