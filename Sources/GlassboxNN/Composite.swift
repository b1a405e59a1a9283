import GlassboxCore

/// Chooses the ``BackwardRule`` of each node: an ordered list of (selector,
/// rule) pairs where the first matching selector wins, and the gradient rule
/// for nodes no selector matches.
///
/// The name follows Zennit's composites, which map layer kinds and positions
/// to LRP rules the same way.
public struct Composite: Sendable {
    /// Which nodes a rule applies to.
    public enum Selector: Sendable {
        /// The node with this name.
        case name(String)
        /// Nodes whose layer has this ``Layer/typeName``: one concrete layer type
        /// ("conv2d" selects ``Conv2D`` but not ``BayesianConv2D``). Select by
        /// ``kind(_:where:)`` to reach every layer of a kind.
        case layerType(String)
        /// ReLU activation nodes.
        case relu
        /// Nodes for which the predicate holds.
        case matching(@Sendable (Node) -> Bool)

        /// Nodes whose layer is of the kind `Kind`, a layer-kind protocol such as
        /// ``ConvolutionLayer`` or ``ElementwiseActivationLayer`` (see LayerKinds.swift),
        /// whatever its concrete type, and satisfies `condition` when given:
        /// `.kind(ConvolutionLayer.self)` selects ``Conv2D`` and ``BayesianConv2D``
        /// nodes, `.kind(PoolingLayer.self) { $0.pooling == .max }` the max poolings.
        /// A concrete layer type selects that type only. As Zennit's composites
        /// select modules by the classes of `zennit.types` (Anders et al. 2021).
        public static func kind<Kind>(
            _ kind: Kind.Type, where condition: @escaping @Sendable (Kind) -> Bool = { _ in true }
        ) -> Selector {
            .matching { node in (node.layer as? Kind).map(condition) ?? false }
        }

        func matches(_ node: Node) -> Bool {
            switch self {
            case .name(let name): node.name == name
            case .layerType(let type): node.layer.typeName == type
            case .relu: (node.layer as? Activation)?.kind == .relu
            case .matching(let predicate): predicate(node)
            }
        }
    }

    /// The (selector, rule) pairs, in the order they are tried.
    public var mapping: [(selector: Selector, rule: any BackwardRule)]
    /// The rule of nodes no selector matches.
    public var fallback: any BackwardRule

    /// A composite of `mapping`, with `fallback` (the gradient by default) where no selector matches.
    public init(
        _ mapping: [(selector: Selector, rule: any BackwardRule)] = [], fallback: any BackwardRule = GradientRule()
    ) {
        self.mapping = mapping
        self.fallback = fallback
    }

    /// The rule for `node`.
    public func rule(for node: Node) -> any BackwardRule {
        mapping.first { $0.selector.matches(node) }?.rule ?? fallback
    }

    /// The true gradient everywhere.
    public static let gradient = Composite()
    /// Guided Backpropagation: guided ReLUs, gradient elsewhere.
    public static let guided = Composite([(.relu, ReLURule(.guided))])
    /// Deconvnet: deconvnet ReLUs, gradient elsewhere.
    public static let deconvnet = Composite([(.relu, ReLURule(.deconvnet))])
}
