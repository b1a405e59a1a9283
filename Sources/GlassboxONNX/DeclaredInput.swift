import Foundation
import GlassboxCore

/// The graph input of an ONNX file as the file declares it, symbolic dimensions by name
/// (`[N, 3, H, W]`) and element type (a text model's token ids are `int64 [N, T]`), read
/// without importing the model. Integer inputs are fed as float32 values of whole numbers.
///
/// A program that runs models on user inputs reads it to learn what a model whose input has
/// symbolic dimensions besides the batch needs, and passes the sample shape it makes from the
/// user's input as ``ImportOptions/sampleShape``.
public struct DeclaredInput: Sendable, Equatable, CustomStringConvertible {
    /// One declared dimension.
    public enum Dimension: Sendable, Equatable, CustomStringConvertible {
        /// A fixed extent.
        case fixed(Int)
        /// A named dimension (`"N"`, `"height"`), or an unnamed unknown one (`""`).
        case symbolic(String)

        /// The extent, or nil when symbolic.
        public var value: Int? {
            if case .fixed(let value) = self { return value }
            return nil
        }

        /// The extent, or the name ("?" for an unnamed one).
        public var description: String {
            switch self {
            case .fixed(let value): String(value)
            case .symbolic(let name): name.isEmpty ? "?" : name
            }
        }
    }

    /// The input's name.
    public let name: String
    /// Every dimension, the batch axis first.
    public let dimensions: [Dimension]
    /// The element type's ONNX name: "float", "int64", "bool", …
    public let elementType: String

    /// A declaration of input `name` with `dimensions`, the batch axis first, and elements of
    /// the ONNX type named `elementType`.
    public init(name: String, dimensions: [Dimension], elementType: String = "float") {
        self.name = name
        self.dimensions = dimensions
        self.elementType = elementType
    }

    /// The declaration a graph input's value info makes.
    init(_ input: Onnx_ValueInfoProto) {
        let dimensions = input.type.tensorType.shape.dim.map { dimension -> Dimension in
            if case .dimValue(let value) = dimension.value, value > 0, value <= Int64(Int32.max) {
                return .fixed(Int(value))
            }
            if case .dimParam(let name) = dimension.value { return .symbolic(name) }
            return .symbolic("")
        }
        self.init(
            name: input.name, dimensions: dimensions,
            elementType: Onnx_TensorProto.DataType.name(of: Int(input.type.tensorType.elemType)))
    }

    /// Whether the elements are whole numbers (an integer or bool type), as token ids are:
    /// Glassbox carries them as float32 values, exact up to 2²⁴.
    public var holdsIntegers: Bool {
        ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool"].contains(elementType)
    }

    /// The dimensions of one sample: all but the batch axis.
    public var sampleDimensions: [Dimension] { Array(dimensions.dropFirst()) }

    /// Whether a sample dimension is symbolic, so that importing needs a sample shape.
    public var hasSymbolicSampleDimensions: Bool { sampleDimensions.contains { $0.value == nil } }

    /// The dimensions in brackets, as Netron shows them, after the element type unless it is
    /// float: "[N, 3, H, W]", "int64 [N, 128]".
    public var description: String {
        (elementType == "float" ? "" : elementType + " ") + "["
            + dimensions.map(\.description).joined(separator: ", ") + "]"
    }

    /// Reads the declaration of the one graph input (a graph input that is not an
    /// initializer) of the `.onnx` file at `url`.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file when it cannot be
    ///   read, is not an ONNX model, or does not declare exactly one input with a shape.
    public static func read(from url: URL) throws -> DeclaredInput {
        let path = url.path
        let data = try ONNXModelFile.readNonEmptyFile(at: url)
        let graph: Onnx_GraphProto
        do {
            graph = try Onnx_ModelProto(serializedBytes: data).graph
        } catch {
            throw GlassboxError.invalidFile(
                path: path, reason: "not a valid ONNX model (truncated or corrupted protobuf: \(error))")
        }
        let initializers = Set(graph.initializer.map(\.name))
        let inputs = graph.input.filter { !initializers.contains($0.name) }
        guard inputs.count == 1, let input = inputs.first, input.type.tensorType.hasShape else {
            throw GlassboxError.invalidFile(
                path: path, reason: "the graph does not declare exactly one input with a shape")
        }
        return DeclaredInput(input)
    }
}

extension Onnx_TensorProto.DataType {
    /// The name of the ONNX element type numbered `code` ("float", "int64", …).
    static func name(of code: Int) -> String { String(describing: Self(rawValue: code) ?? .undefined) }
}
