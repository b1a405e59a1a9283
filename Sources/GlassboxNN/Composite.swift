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
        /// Nodes whose layer has this ``Layer/typeName``.
        case layerType(String)
        /// ReLU activation nodes.
        case relu
        /// Nodes for which the predicate holds.
        case matching(@Sendable (Node) -> Bool)

        func matches(_ node: Node) -> Bool {
            switch self {
            case .name(let name): node.name == name
            case .layerType(let type): node.layer.typeName == type
            case .relu: (node.layer as? Activation)?.kind == .relu
            case .matching(let predicate): predicate(node)
            }
        }
    }

    public var mapping: [(selector: Selector, rule: any BackwardRule)]
    public var fallback: any BackwardRule

    public init(_ mapping: [(selector: Selector, rule: any BackwardRule)] = [], fallback: any BackwardRule = GradientRule()) {
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
