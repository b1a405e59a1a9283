import GlassboxCore

/// One kind of node in a ``Graph``: its shape rule, parameters, forward pass and
/// true gradient.
///
/// Layers are plain configuration values; their parameters live in the graph.
/// A layer's ``backward(_:)`` is the *gradient* rule; other ``BackwardRule``s
/// (guided backprop, deconvnet, LRP) may replace it per node.
public protocol Layer: Sendable, Codable {
    /// The name under which the layer is stored in model files ("conv2d", "dense", …).
    static var typeName: String { get }

    /// The parameters the layer owns, in a fixed order.
    var parameterSpecs: [ParameterSpec] { get }

    /// The output shape for the given input shapes (each with the batch axis).
    func outputShape(for inputShapes: [Shape]) throws -> Shape

    /// Runs the layer on a batch; `saved` holds what ``backward(_:)`` needs besides
    /// the inputs and output (a dropout mask, say).
    func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput

    /// The gradient of the loss with respect to each input (and, when asked, each
    /// trainable parameter), given the gradient with respect to the output.
    func backward(_ step: BackwardStep) throws -> LayerGradients
}

extension Layer {
    public var parameterSpecs: [ParameterSpec] { [] }
    /// The type name of this layer's type.
    public var typeName: String { Self.typeName }
}

/// What a layer's forward pass returns.
public struct LayerOutput: Sendable {
    public var output: Tensor
    /// Values kept for the backward pass beyond inputs and output.
    public var saved: [Tensor]

    public init(_ output: Tensor, saved: [Tensor] = []) {
        self.output = output
        self.saved = saved
    }
}

/// Gradients a backward step produces: one per input, and per trainable parameter when asked.
public struct LayerGradients: Sendable {
    public var inputs: [Tensor]
    public var parameters: [String: Tensor]

    public init(inputs: [Tensor], parameters: [String: Tensor] = [:]) {
        self.inputs = inputs
        self.parameters = parameters
    }
}

/// A named parameter of a layer.
public struct ParameterSpec: Sendable, Hashable {
    /// How a freshly built layer fills the parameter.
    public enum Initialization: Sendable, Hashable {
        /// Normal with standard deviation √(2 / fanIn) (He et al. 2015).
        case heNormal(fanIn: Int)
        /// Every element equal to the value.
        case constant(Float)
        /// Uniform in (−bound, bound), as PyTorch initialises recurrent layers
        /// (`nn.LSTM`: bound = 1/√hidden size).
        case uniform(bound: Float)
        /// Normal with mean 0 and the given standard deviation, with row `zeroRow` of the
        /// matrix (when given) set to zero, as PyTorch initialises `nn.Embedding` (N(0, 1), the
        /// padding row zero).
        case normal(standardDeviation: Float, zeroRow: Int? = nil)
    }

    public var name: String
    public var shape: Shape
    /// Whether training updates it (false for batch-norm running statistics).
    public var trainable: Bool
    public var initialization: Initialization

    public init(name: String, shape: Shape, trainable: Bool = true, initialization: Initialization) {
        self.name = name
        self.shape = shape
        self.trainable = trainable
        self.initialization = initialization
    }
}
