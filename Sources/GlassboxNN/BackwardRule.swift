import GlassboxCore

/// How relevance or gradient passes backward through one node.
///
/// The graph's backward walk asks a ``Composite`` for each node's rule. The
/// *gradient* rule is the layer's own derivative; other rules (Guided
/// Backpropagation, Deconvnet, and later LRP) replace it at the nodes they
/// concern, leaving the walk itself unchanged.
public protocol BackwardRule: Sendable {
    /// The values passed to each of the node's inputs (and parameter gradients
    /// when the rule computes true gradients and they are asked for).
    func propagate(_ step: BackwardStep) throws -> LayerGradients
}

/// The true derivative: each layer's own ``Layer/backward(_:)``.
public struct GradientRule: BackwardRule {
    public init() {}

    public func propagate(_ step: BackwardStep) throws -> LayerGradients {
        try step.layer.backward(step)
    }
}

/// The ReLU backward pass of Guided Backpropagation (Springenberg et al. 2015)
/// or Deconvnet (Zeiler & Fergus 2014); see `ReLUBackwardMode`. At nodes
/// that are not ReLUs it is the gradient.
public struct ReLURule: BackwardRule {
    public var mode: ReLUBackwardMode

    public init(_ mode: ReLUBackwardMode) { self.mode = mode }

    public func propagate(_ step: BackwardStep) throws -> LayerGradients {
        guard (step.layer as? Activation)?.kind == .relu else { return try step.layer.backward(step) }
        return LayerGradients(inputs: [try step.backend.reluBackward(step.gradient, input: step.inputs[0], mode: mode)])
    }
}
