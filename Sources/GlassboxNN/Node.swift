import GlassboxCore

/// A named layer in a ``Graph`` and the names of the nodes (or the graph input) it reads.
public struct Node: Sendable {
    /// The node's unique name; its output is addressable by it.
    public var name: String
    public var layer: any Layer
    /// The producers of this node's inputs, in order.
    public var inputs: [String]

    public init(_ name: String, _ layer: any Layer, inputs: [String]) {
        self.name = name
        self.layer = layer
        self.inputs = inputs
    }

    /// The full name of one of this node's parameters in ``Graph/parameters``.
    public func parameterName(_ short: String) -> String { "\(name).\(short)" }
}
