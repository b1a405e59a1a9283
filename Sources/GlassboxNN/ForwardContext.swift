import GlassboxCore

/// Whether stochastic layers (dropout) sample during a forward pass.
public enum ForwardMode: String, Sendable, Codable, CaseIterable {
    /// Deterministic prediction: dropout is the identity.
    case inference
    /// Dropout samples masks; used for training and for MC-dropout (Gal & Ghahramani 2016).
    case stochastic
}

/// What a layer sees of the pass it runs in.
public struct ForwardContext: Sendable {
    public var backend: any Backend
    public var mode: ForwardMode
    /// The random stream of this node in this pass (distinct per node).
    public var randomStream: RandomStream

    public init(backend: any Backend, mode: ForwardMode, randomStream: RandomStream) {
        self.backend = backend
        self.mode = mode
        self.randomStream = randomStream
    }
}

/// Everything a backward rule may use at one node.
public struct BackwardStep: Sendable {
    /// The node being passed.
    public var node: Node
    public var inputs: [Tensor]
    public var output: Tensor
    /// What the layer's forward pass saved.
    public var saved: [Tensor]
    /// The gradient (or relevance) arriving at the node's output.
    public var gradient: Tensor
    /// The node's parameters by their short name ("weight", "bias").
    public var parameters: [String: Tensor]
    /// Whether parameter gradients are wanted (training); rules that do not
    /// compute a true gradient ignore it.
    public var wantsParameterGradients: Bool
    public var backend: any Backend { output.backend }
    /// The node's layer.
    public var layer: any Layer { node.layer }

    public init(
        node: Node, inputs: [Tensor], output: Tensor, saved: [Tensor], gradient: Tensor,
        parameters: [String: Tensor], wantsParameterGradients: Bool
    ) {
        self.node = node
        self.inputs = inputs
        self.output = output
        self.saved = saved
        self.gradient = gradient
        self.parameters = parameters
        self.wantsParameterGradients = wantsParameterGradients
    }

    /// The parameter `name` of the node, or a clear error if the graph lacks it.
    public func parameter(_ name: String) throws -> Tensor {
        guard let value = parameters[name] else {
            throw GlassboxError.invalidModel("node '\(node.name)' has no parameter '\(name)'")
        }
        return value
    }
}

extension Dictionary where Key == String, Value == Tensor {
    /// The parameter `name` of a layer, or a clear error if it is missing.
    func required(_ name: String, layer: String) throws -> Tensor {
        guard let value = self[name] else {
            throw GlassboxError.invalidModel("\(layer) layer is missing its parameter '\(name)'")
        }
        return value
    }
}
