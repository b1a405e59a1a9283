import GlassboxCore

extension Graph {
    /// The most candidates an ambiguous query's error lists.
    static let listedCandidates = 10

    /// The name of the node a user means by `query`: the node named `query`, else the node
    /// whose ``Node/sourceName`` is `query` (an ONNX node name as Netron shows it,
    /// "/layer4/layer4.1/conv2/Conv"), else the one node whose name or source name ends with
    /// `query` ("layer4.1/conv2/Conv", "conv2/Conv").
    ///
    /// Names containing "#" belong to nodes an importer added around an operator (a constant
    /// repeated per sample, a value seen with a sample axis); they match only exactly, never
    /// by suffix.
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` when no node matches (naming `query`;
    ///   `glassbox info MODEL` lists the names), or when several end with `query` (listing up
    ///   to ten of them with both names).
    public func nodeName(matching query: String) throws -> String {
        if nodes.contains(where: { $0.name == query }) { return query }
        if let node = nodes.first(where: { $0.sourceName == query }) { return node.name }
        func endsWithQuery(_ name: String?) -> Bool {
            guard let name, !name.contains("#") else { return false }
            return name.hasSuffix(query)
        }
        let candidates = query.isEmpty ? [] : nodes.filter { endsWithQuery($0.name) || endsWithQuery($0.sourceName) }
        guard candidates.count <= 1 else {
            let listed = candidates.prefix(Self.listedCandidates).map { node in
                node.sourceName.map { "\(node.name) (\($0))" } ?? node.name
            }
            let more = candidates.count > listed.count ? ", and \(candidates.count - listed.count) more" : ""
            throw GlassboxError.invalidArgument(
                "'\(query)' matches \(candidates.count) nodes: \(listed.joined(separator: ", "))\(more); give more of the name"
            )
        }
        guard let node = candidates.first else {
            throw GlassboxError.invalidArgument(
                "the model has no node named '\(query)' (`glassbox info MODEL` lists its nodes with their source names)"
            )
        }
        return node.name
    }
}
