import GlassboxCore

/// A named layer in a ``Graph`` and the names of the nodes (or the graph input) it reads.
public struct Node: Sendable {
    /// The node's unique name; its output is addressable by it.
    public var name: String
    /// The layer the node computes.
    public var layer: any Layer
    /// The producers of this node's inputs, in order.
    public var inputs: [String]
    /// The node's name in the file it was imported from — for an ONNX model the node name
    /// Netron shows ("/layer4/layer4.1/conv2/Conv"), where ``name`` is its output value — or nil
    /// (models built in Glassbox, nodes an importer added). ``Graph/nodeName(matching:)`` finds
    /// a node by either name.
    public var sourceName: String?

    /// A node named `name` computing `layer` on `inputs`, with the name it had in the file it
    /// was imported from, if any.
    public init(_ name: String, _ layer: any Layer, inputs: [String], sourceName: String? = nil) {
        self.name = name
        self.layer = layer
        self.inputs = inputs
        self.sourceName = sourceName
    }

    /// The full name of one of this node's parameters in ``Graph/parameters``.
    public func parameterName(_ short: String) -> String { "\(name).\(short)" }
}
