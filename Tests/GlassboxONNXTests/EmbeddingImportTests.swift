import Foundation
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxONNX

/// Text models: integer inputs carried as floats, Gather of a constant table by computed ids
/// imported as an `Embedding`, and the casts and gathers of computed values that are refused.
/// (Their numbers against onnxruntime are the `embedding_*`, `text_cnn_*` and
/// `masked_mean_*` cases of `OperatorFixtureTests`.)
@Suite("Embeddings and integer inputs")
struct EmbeddingImportTests {
    static let table: [Float] = (0..<10).map { Float($0) - 4.5 }

    /// A model of `nodes` reading the input "ids" (declared [N, 3] of ONNX element type
    /// `inputType`) with the initializers "table" (5×2) and "cube" (1×2×5), computing "y".
    func model(inputType: Int32, _ nodes: [(String, [String], [String: Int])]) throws -> URL {
        var model = Onnx_ModelProto()
        model.irVersion = 7
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 13
        model.opsetImport = [opset]
        model.graph.node = nodes.enumerated().map { index, item in
            var node = Onnx_NodeProto()
            node.opType = item.0
            node.name = "node\(index)"
            node.input = item.1
            node.output = [index == nodes.count - 1 ? "y" : "v\(index)"]
            node.attribute = item.2.sorted { $0.key < $1.key }.map { name, value in
                var attribute = Onnx_AttributeProto()
                attribute.name = name
                attribute.type = .int
                attribute.i = Int64(value)
                return attribute
            }
            return node
        }
        model.graph.initializer = [
            SmallModel.floatTensor("table", dims: [5, 2], Self.table),
            SmallModel.floatTensor("cube", dims: [1, 2, 5], Self.table),
        ]
        var input = Onnx_ValueInfoProto()
        input.name = "ids"
        input.type.tensorType.elemType = inputType
        input.type.tensorType.shape.dim = [Int64(1), 3].map { value in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = value
            return dimension
        }
        model.graph.input = [input]
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        model.graph.output = [output]
        return try temporaryFile(try model.serializedData())
    }

    /// The one-line reason importing the model at `url` gives.
    func importError(_ url: URL) -> String? {
        do {
            _ = try ONNXImporter.load(from: url, backend: CPUBackend.shared)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aGatherOfATableByIdsIsAnEmbeddingOfIntegersCarriedAsFloats() throws {
        let url = try model(inputType: 7, [("Gather", ["table", "ids"], [:])])
        let declared = try DeclaredInput.read(from: url)
        #expect(declared.elementType == "int64" && declared.holdsIntegers)
        #expect(declared.description == "int64 [1, 3]")
        let graph = try ONNXImporter.load(from: url, backend: CPUBackend.shared).graph
        let node = try #require(graph.nodes.first)
        #expect(graph.nodes.count == 1)
        #expect(node.layer as? Embedding == Embedding(vocabularySize: 5, dimension: 2))
        #expect(try graph.parameters[node.parameterName("weight")]?.toArray() == Self.table)
        let ids = try CPUBackend.shared.upload([4, 0, 2, 1, 1, 3], shape: [2, 3])
        #expect(try graph.predict(ids).toArray() == [4, 0, 2, 1, 1, 3].flatMap { Self.table[(2 * $0)..<(2 * $0 + 2)] })
        #expect(DeclaredInput(name: "x", dimensions: [.symbolic("N"), .fixed(3)]).description == "[N, 3]")
    }

    /// int32 ids cast to int64 are the same values (the cast adds no node).
    @Test func castsOfIntegersToIntegersAreTheIdentity() throws {
        let url = try model(inputType: 6, [("Cast", ["ids"], ["to": 7]), ("Gather", ["table", "v0"], [:])])
        let graph = try ONNXImporter.load(from: url, backend: CPUBackend.shared).graph
        #expect(graph.nodes.map(\.layer.typeName) == ["embedding"])
    }

    @Test func castsOfFloatValuesToIntegersAreRefused() throws {
        let floats = try model(inputType: 1, [("Cast", ["ids"], ["to": 7]), ("Gather", ["table", "v0"], [:])])
        #expect(importError(floats)?.contains("node 'node0' (Cast) casts the computed value 'ids' to int64") == true)
        let toBool = try model(inputType: 7, [("Cast", ["ids"], ["to": 9]), ("Gather", ["table", "v0"], [:])])
        #expect(importError(toBool)?.contains("casts the computed value 'ids' to bool") == true)
        let throughFloats = try model(
            inputType: 7,
            [("Cast", ["ids"], ["to": 1]), ("Cast", ["v0"], ["to": 7]), ("Gather", ["table", "v1"], [:])])
        #expect(importError(throughFloats)?.contains("casts the computed value 'v0' to int64") == true)
    }

    @Test func gathersByComputedIndicesFromAnythingButATableAreRefused() throws {
        for (nodes, source) in [
            ([("Gather", ["cube", "ids"], [:])], "a constant of shape (1×2×5) along axis 0"),
            ([("Gather", ["table", "ids"], ["axis": 1])], "a constant of shape (5×2) along axis 1"),
            ([("Gather", ["table", "ids"], [:]), ("Gather", ["v0", "ids"], [:])], "a computed value along axis 0"),
        ] as [([(String, [String], [String: Int])], String)] {
            let reason = importError(try model(inputType: 7, nodes))
            #expect(reason?.contains("gathers from \(source) by computed indices") == true, "\(reason ?? "accepted")")
        }
    }
}
