import Foundation
import GlassboxCore

/// An ONNX node with typed access to its attributes and inputs.
struct ONNXNode {
    let proto: Onnx_NodeProto

    var opType: String { proto.opType }
    /// A name for messages: the node's name, else its first output.
    var label: String { proto.name.isEmpty ? (proto.output.first ?? "?") : proto.name }
    var outputs: [String] { proto.output }
    /// The node's output value (every supported operator has one that matters).
    var output: String { proto.output.first ?? label }

    /// Input `index`, or nil when it is absent or given as the empty name (optional inputs).
    func input(_ index: Int) -> String? {
        index < proto.input.count && !proto.input[index].isEmpty ? proto.input[index] : nil
    }

    /// Input `index`, which the operator requires.
    func requiredInput(_ index: Int) throws -> String {
        guard let name = input(index) else { throw problem("needs input \(index)") }
        return name
    }

    private func attribute(_ name: String) -> Onnx_AttributeProto? {
        proto.attribute.first { $0.name == name }
    }

    func int(_ name: String, default value: Int? = nil) throws -> Int {
        if let attribute = attribute(name) { return Int(attribute.i) }
        guard let value else { throw problem("needs the attribute '\(name)'") }
        return value
    }

    func float(_ name: String, default value: Float? = nil) throws -> Float {
        if let attribute = attribute(name) { return attribute.f }
        guard let value else { throw problem("needs the attribute '\(name)'") }
        return value
    }

    func ints(_ name: String) -> [Int]? {
        attribute(name).map { $0.ints.map { Int($0) } }
    }

    func strings(_ name: String) -> [String]? {
        attribute(name).map { $0.strings.map { String(decoding: $0, as: UTF8.self) } }
    }

    func string(_ name: String, default value: String) -> String {
        attribute(name).map { String(decoding: $0.s, as: UTF8.self) } ?? value
    }

    func tensor(_ name: String) -> Onnx_TensorProto? {
        attribute(name).flatMap { $0.hasT ? $0.t : nil }
    }

    func has(_ name: String) -> Bool { attribute(name) != nil }

    /// An error naming this node, its operator and the problem.
    func problem(_ text: String) -> GlassboxError {
        GlassboxError.invalidModel("node '\(label)' (\(opType)) \(text)")
    }
}
