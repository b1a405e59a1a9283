import GlassboxCore

/// A node as stored in a model file: its name, inputs, layer type, the
/// layer's configuration and, when it has one, its name in the file it was
/// imported from (`sourceName`, absent from files written before it existed).
struct NodeRecord: Codable {
    let node: Node

    init(_ node: Node) { self.node = node }

    private enum CodingKeys: String, CodingKey { case name, inputs, type, config, sourceName }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let type = try container.decode(String.self, forKey: .type)
        guard let layerType = LayerRegistry.type(named: type) else {
            throw GlassboxError.invalidModel(
                "node '\(name)' has unknown layer type '\(type)'; known types are \(LayerRegistry.types.map { $0.typeName }.joined(separator: ", "))"
            )
        }
        let layer = try Self.decodeLayer(layerType, from: try container.superDecoder(forKey: .config))
        node = Node(
            name, layer, inputs: try container.decode([String].self, forKey: .inputs),
            sourceName: try container.decodeIfPresent(String.self, forKey: .sourceName))
    }

    /// Decodes a layer of a concrete type (opening the existential metatype).
    private static func decodeLayer<L: Layer>(_ type: L.Type, from decoder: any Decoder) throws -> any Layer {
        try L(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node.name, forKey: .name)
        try container.encode(node.inputs, forKey: .inputs)
        try container.encode(node.layer.typeName, forKey: .type)
        try node.layer.encode(to: container.superEncoder(forKey: .config))
        try container.encodeIfPresent(node.sourceName, forKey: .sourceName)
    }
}
