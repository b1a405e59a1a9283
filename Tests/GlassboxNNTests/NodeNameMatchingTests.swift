import Foundation
import GlassboxCore
import Testing

@testable import GlassboxNN

/// `Graph.nodeName(matching:)`: how a user's name for a node finds it, and `Node.sourceName`
/// in the model file.
@Suite struct NodeNameMatchingTests {
    /// A chain of ReLUs named as the ONNX importer names a torch export: output values as node
    /// names, ONNX node names as source names, and one importer-internal "#" node.
    static func model() throws -> Graph {
        let names: [(name: String, source: String?)] = [
            ("/layer1/conv1/Conv_output_0", "/layer1/conv1/Conv"),
            ("/layer1/relu/Relu_output_0", "/layer1/relu/Relu"),
            ("/layer2/conv1/Conv_output_0", "/layer2/conv1/Conv"),
            ("/layer2/conv1/Conv_output_0#sample", nil),
            ("logits", "/fc/Gemm"),
        ]
        var previous = "input"
        let nodes = names.map { entry in
            defer { previous = entry.name }
            return Node(entry.name, Activation.relu, inputs: [previous], sourceName: entry.source)
        }
        return try Graph(inputShape: [2], nodes: nodes, parameters: [:], backend: CPUBackend.shared)
    }

    @Test func anExactNameOrSourceNameFindsItsNode() throws {
        let model = try Self.model()
        #expect(try model.nodeName(matching: "/layer1/relu/Relu_output_0") == "/layer1/relu/Relu_output_0")
        #expect(try model.nodeName(matching: "/layer1/relu/Relu") == "/layer1/relu/Relu_output_0")
        #expect(try model.nodeName(matching: "/fc/Gemm") == "logits")
        #expect(try model.nodeName(matching: "logits") == "logits")
        #expect(
            try model.nodeName(matching: "/layer2/conv1/Conv_output_0#sample") == "/layer2/conv1/Conv_output_0#sample")
    }

    @Test func aUniqueSuffixOfEitherNameFindsItsNode() throws {
        let model = try Self.model()
        #expect(try model.nodeName(matching: "layer2/conv1/Conv") == "/layer2/conv1/Conv_output_0")
        #expect(try model.nodeName(matching: "relu/Relu") == "/layer1/relu/Relu_output_0")
        #expect(try model.nodeName(matching: "Relu_output_0") == "/layer1/relu/Relu_output_0")
        #expect(try model.nodeName(matching: "Gemm") == "logits")
        // "#" names are the importer's own: only their exact name finds them.
        #expect(throws: GlassboxError.self) { try model.nodeName(matching: "Conv_output_0#sample") }
    }

    @Test func anAmbiguousSuffixListsBothNamesOfEveryCandidate() throws {
        let model = try Self.model()
        #expect(
            throws: GlassboxError.invalidArgument(
                "'conv1/Conv' matches 2 nodes: /layer1/conv1/Conv_output_0 (/layer1/conv1/Conv), /layer2/conv1/Conv_output_0 (/layer2/conv1/Conv); give more of the name"
            )
        ) { try model.nodeName(matching: "conv1/Conv") }
    }

    @Test func anAmbiguousSuffixListsAtMostTenCandidates() throws {
        let nodes = (0..<12).map { Node("block\($0).relu", Activation.relu, inputs: ["input"]) }
        let model = try Graph(inputShape: [2], nodes: nodes, parameters: [:], backend: CPUBackend.shared)
        do {
            _ = try model.nodeName(matching: "relu")
            Issue.record("an ambiguous name was accepted")
        } catch GlassboxError.invalidArgument(let message) {
            #expect(message.hasPrefix("'relu' matches 12 nodes: block0.relu, block1.relu"))
            #expect(message.contains("block9.relu, and 2 more;"))
            #expect(!message.contains("block10.relu"))
        }
    }

    @Test func anUnknownNameIsNamedWithWhereToLook() throws {
        let model = try Self.model()
        for query in ["nope", "", "#sample"] {
            #expect(
                throws: GlassboxError.invalidArgument(
                    "the model has no node named '\(query)' (`glassbox info MODEL` lists its nodes with their source names)"
                )
            ) { try model.nodeName(matching: query) }
        }
    }

    @Test func theModelFileKeepsSourceNamesAndOmitsAbsentOnes() throws {
        let model = try Self.model()
        let (loaded, _) = try ModelFile.decode(try ModelFile.encode(model), backend: CPUBackend.shared)
        #expect(loaded.nodes.map(\.sourceName) == model.nodes.map(\.sourceName))
        // A model without source names writes no key for them: its file is what older builds wrote and read.
        let native = try Graph(
            inputShape: [2], nodes: [Node("relu", Activation.relu, inputs: ["input"])], parameters: [:],
            backend: CPUBackend.shared)
        let bytes = try ModelFile.encode(native)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("sourceName"))
        #expect(try ModelFile.decode(bytes, backend: CPUBackend.shared).graph.nodes[0].sourceName == nil)
    }
}
