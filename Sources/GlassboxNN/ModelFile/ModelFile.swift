import Foundation
import GlassboxCore

/// The native `.glassbox` model file: architecture and weights in one file.
///
/// Layout (all integers little-endian):
///
/// | bytes | content |
/// | --- | --- |
/// | 8 | magic `GLASSBOX` |
/// | 4 | format version (``version``) |
/// | 8 | length L of the header |
/// | L | header, UTF-8 JSON: input name and shape, output name, nodes (name, inputs, layer type and configuration), parameter names and shapes in payload order, metadata |
/// | 4·Σ | parameter values, float32, in header order |
/// | 4 | CRC-32 of every preceding byte |
///
/// Reading checks sizes and the checksum before trusting anything, so a
/// truncated or corrupted file gives one clear error. Writing goes to a
/// temporary file that is renamed into place.
public enum ModelFile {
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    static let magic = Array("GLASSBOX".utf8)

    struct Header: Codable {
        struct Parameter: Codable {
            var name: String
            var shape: Shape
        }

        var inputName: String
        var inputShape: Shape
        var outputName: String
        var nodes: [NodeRecord]
        var parameters: [Parameter]
        var metadata: [String: String]
    }

    /// The bytes of a model file for `graph`, with free-form `metadata` (training settings, accuracy).
    public static func encode(_ graph: Graph, metadata: [String: String] = [:]) throws -> Data {
        let names = graph.nodes.flatMap { node in node.layer.parameterSpecs.map { node.parameterName($0.name) } }
        let header = Header(
            inputName: graph.inputName, inputShape: graph.inputShape, outputName: graph.outputName,
            nodes: graph.nodes.map(NodeRecord.init),
            parameters: names.map { Header.Parameter(name: $0, shape: graph.parameters[$0]!.shape) },
            metadata: metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var bytes = magic
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt64(json.count))
        bytes += json
        for name in names {
            for value in try graph.parameters[name]!.toArray() { bytes.appendLittleEndian(value.bitPattern) }
        }
        bytes.appendLittleEndian(CRC32.checksum(bytes))
        return Data(bytes)
    }

    /// Writes `graph` to `url` atomically (temporary file, then rename).
    public static func save(_ graph: Graph, to url: URL, metadata: [String: String] = [:]) throws {
        let data = try encode(graph, metadata: metadata)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw GlassboxError.invalidFile(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Reads a model file onto `backend`; every problem is reported as
    /// `GlassboxError.invalidFile(path:reason:)` naming the file.
    public static func load(from url: URL, backend: any Backend) throws -> (graph: Graph, metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GlassboxError.invalidFile(path: url.path, reason: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GlassboxError.invalidFile(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try decode(data, backend: backend)
        } catch let error as GlassboxError {
            if case .invalidFile = error { throw error }
            throw GlassboxError.invalidFile(path: url.path, reason: "\(error)")
        } catch ModelFileProblem.malformed(let reason) {
            throw GlassboxError.invalidFile(path: url.path, reason: reason)
        } catch {
            throw GlassboxError.invalidFile(path: url.path, reason: "malformed model header: \(error)")
        }
    }

    /// Parses the bytes of a model file.
    public static func decode(_ data: Data, backend: any Backend) throws -> (graph: Graph, metadata: [String: String]) {
        let bytes = [UInt8](data)
        let fixed = magic.count + 4 + 8
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw ModelFileProblem.malformed("not a Glassbox model file (bad magic)")
        }
        guard bytes.count >= fixed + 4 else {
            throw ModelFileProblem.malformed("truncated: \(bytes.count) bytes is shorter than the file header")
        }
        let storedChecksum = bytes.readLittleEndian(UInt32.self, at: bytes.count - 4)
        guard CRC32.checksum(bytes[0..<(bytes.count - 4)]) == storedChecksum else {
            throw ModelFileProblem.malformed("truncated or corrupted (checksum mismatch)")
        }
        let fileVersion = bytes.readLittleEndian(UInt32.self, at: magic.count)
        guard fileVersion == version else {
            throw ModelFileProblem.malformed(
                "format version \(fileVersion) is not supported (this build reads version \(version))")
        }
        let headerLength = bytes.readLittleEndian(UInt64.self, at: magic.count + 4)
        guard headerLength <= UInt64(bytes.count - fixed - 4) else {
            throw ModelFileProblem.malformed("header length \(headerLength) exceeds the file")
        }
        let headerEnd = fixed + Int(headerLength)
        let header = try JSONDecoder().decode(Header.self, from: Data(bytes[fixed..<headerEnd]))
        var offset = headerEnd
        var parameters = [String: Tensor]()
        guard Set(header.parameters.map(\.name)).count == header.parameters.count else {
            throw ModelFileProblem.malformed("the header lists a parameter name twice")
        }
        for parameter in header.parameters {
            guard let count = parameter.shape.checkedCount, count <= (bytes.count - 4 - offset) / 4 else {
                throw ModelFileProblem.malformed(
                    "parameter '\(parameter.name)' of shape \(parameter.shape) runs past the end of the file")
            }
            let values = (0..<count).map { Float(bitPattern: bytes.readLittleEndian(UInt32.self, at: offset + 4 * $0)) }
            guard values.allSatisfy(\.isFinite) else {
                throw ModelFileProblem.malformed("parameter '\(parameter.name)' holds NaN or infinite values")
            }
            parameters[parameter.name] = try backend.upload(values, shape: parameter.shape)
            offset += 4 * count
        }
        guard offset == bytes.count - 4 else {
            throw ModelFileProblem.malformed("\(bytes.count - 4 - offset) unexpected bytes after the parameters")
        }
        let graph = try Graph(
            inputName: header.inputName, inputShape: header.inputShape, nodes: header.nodes.map(\.node),
            outputName: header.outputName, parameters: parameters, backend: backend)
        return (graph, header.metadata)
    }
}

/// A structural problem found while parsing a model file.
enum ModelFileProblem: Error {
    case malformed(String)
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    func readLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        var value = T.zero
        for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + index]) }
        return value
    }
}
