import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// The `.glassbox` model file: exact round trips, and a clear error (never a
/// crash) for truncated, corrupted or inconsistent files.
@Suite("Model file")
struct ModelFileTests {
    /// A small DAG using every layer type, with asymmetric, dilated, grouped windows.
    static func model() throws -> Graph {
        let nodes: [Node] = [
            Node(
                "conv",
                Conv2D(
                    inputChannels: 2, outputChannels: 4,
                    window: Window2D(
                        kernelHeight: 3, kernelWidth: 2, padTop: 1, padLeft: 0, padBottom: 1, padRight: 1,
                        dilationHeight: 1, dilationWidth: 2),
                    groups: 2), inputs: ["pixels"]),
            Node("bn", BatchNorm(channels: 4, epsilon: 1e-3), inputs: ["conv"]),
            Node("leaky", Activation(.leakyReLU(slope: 0.2)), inputs: ["bn"]),
            Node("avg", Pool2D.average(2, stride: 2, padding: 1, countIncludePadding: false), inputs: ["leaky"]),
            Node("max", Pool2D.max(2, stride: 2, padding: 1), inputs: ["leaky"]),
            Node("sum", Add(), inputs: ["avg", "max"]),
            Node("tanh", Activation(.tanh), inputs: ["sum"]),
            Node("cat", Concat(axis: 1), inputs: ["sum", "tanh"]),
            Node("gap", GlobalAveragePool(), inputs: ["cat"]),
            Node("cube", Reshape([2, 2, 2]), inputs: ["gap"]),
            Node("flat", Reshape.flatten, inputs: ["cube"]),
            Node("drop", Dropout(0.3), inputs: ["flat"]),
            Node("fc1", Dense(8, 5), inputs: ["drop"]),
            Node("sigmoid", Activation(.sigmoid), inputs: ["fc1"]),
            Node("fc2", Dense(5, 3, hasBias: false), inputs: ["sigmoid"]),
            Node("logp", Softmax(axis: -1, logarithm: true), inputs: ["fc2"]),
            Node("conv-relu-side", Activation.relu, inputs: ["conv"]),
        ]
        var parameters = try deterministicParameters(nodes, seed: 51)
        // Values whose bit patterns a sloppy writer would lose.
        var offset = try values(parameters["bn.offset"]!)
        offset[0] = -0.0
        offset[1] = .leastNonzeroMagnitude
        offset[2] = -.leastNormalMagnitude / 3
        parameters["bn.offset"] = try upload(offset, [4])
        return try Graph(
            inputName: "pixels", inputShape: [2, 6, 6], nodes: nodes, outputName: "logp",
            parameters: parameters, backend: cpu)
    }

    static func input() throws -> Tensor {
        var generator = SplitMix64(seed: 52)
        return try upload(generator.floats(144), [2, 2, 6, 6])
    }

    static let metadata = ["epochs": "3", "note": "ünïcode ✓", "": "empty key"]

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "glassbox-nn-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Whether two layers are the same type with the same configuration.
    static func sameLayer(_ a: any Layer, _ b: any Layer) -> Bool {
        guard let a = a as? any Hashable, let b = b as? any Hashable else { return false }
        return AnyHashable(a) == AnyHashable(b)
    }

    static func expectIdentical(_ loaded: Graph, _ original: Graph, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        #expect(loaded.inputName == original.inputName, sourceLocation: sourceLocation)
        #expect(loaded.inputShape == original.inputShape, sourceLocation: sourceLocation)
        #expect(loaded.outputName == original.outputName, sourceLocation: sourceLocation)
        #expect(loaded.nodes.map(\.name) == original.nodes.map(\.name), sourceLocation: sourceLocation)
        #expect(loaded.nodes.map(\.inputs) == original.nodes.map(\.inputs), sourceLocation: sourceLocation)
        for (a, b) in zip(loaded.nodes, original.nodes) {
            #expect(sameLayer(a.layer, b.layer), "layer of '\(a.name)'", sourceLocation: sourceLocation)
        }
        #expect(Set(loaded.parameters.keys) == Set(original.parameters.keys), sourceLocation: sourceLocation)
        for (name, value) in original.parameters {
            let loadedValue = try #require(loaded.parameters[name], sourceLocation: sourceLocation)
            #expect(loadedValue.shape == value.shape, sourceLocation: sourceLocation)
            #expect(
                try values(loadedValue).map(\.bitPattern) == values(value).map(\.bitPattern), "\(name)",
                sourceLocation: sourceLocation)
        }
        let input = try input()
        #expect(
            try values(try loaded.predict(input)).map(\.bitPattern)
                == values(try original.predict(input)).map(\.bitPattern),
            sourceLocation: sourceLocation)
    }

    // MARK: Round trips

    @Test("encode → decode round-trips bit-exactly, and re-encoding gives the same bytes")
    func roundTrip() throws {
        let graph = try Self.model()
        let bytes = try ModelFile.encode(graph, metadata: Self.metadata)
        let (loaded, metadata) = try ModelFile.decode(bytes, backend: cpu)
        try Self.expectIdentical(loaded, graph)
        #expect(metadata == Self.metadata)
        #expect(try ModelFile.encode(loaded, metadata: metadata) == bytes)
        #expect(try ModelFile.encode(graph, metadata: Self.metadata) == bytes)
        // The layout: magic, version, header length, header, 4 bytes per value, CRC.
        #expect(Array(bytes.prefix(8)) == Array("GLASSBOX".utf8))
        let headerLength = bytes[12..<20].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(bytes.count == 8 + 4 + 8 + headerLength + 4 * graph.parameterCount + 4)
        #expect(CRC32.checksum(bytes.dropLast(4)) == bytes.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) })
    }

    @Test("the CRC is the CRC-32 of zlib")
    func crc() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test("save → load through a file round-trips, and saving again replaces the file")
    func saveAndLoad() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.glassbox")
        let graph = try Self.model()
        try ModelFile.save(graph, to: url, metadata: Self.metadata)
        let (loaded, metadata) = try ModelFile.load(from: url, backend: cpu)
        try Self.expectIdentical(loaded, graph)
        #expect(metadata == Self.metadata)

        let other = try makeGraph(inputShape: [3], nodes: Graph.sequentialNodes([("fc", Dense(3, 2))]))
        try ModelFile.save(other, to: url)
        let (replaced, noMetadata) = try ModelFile.load(from: url, backend: cpu)
        #expect(replaced.nodes.map(\.name) == ["fc"])
        #expect(noMetadata.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.glassbox"])
    }

    @Test("extreme parameter values keep their bit patterns")
    func extremeValues() throws {
        let special: [Float] = [
            0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, .pi, 0x1.fffffep-1,
        ]
        let graph = try Graph(
            inputShape: [11], nodes: [Node("fc", Dense(11, 1), inputs: ["input"])],
            parameters: ["fc.weight": try upload(special, [1, 11]), "fc.bias": try upload([-0.0], [1])],
            backend: cpu)
        let (loaded, _) = try ModelFile.decode(try ModelFile.encode(graph), backend: cpu)
        #expect(try values(loaded.parameters["fc.weight"]!).map(\.bitPattern) == special.map(\.bitPattern))
        #expect(try values(loaded.parameters["fc.bias"]!).map(\.bitPattern) == [(-0.0 as Float).bitPattern])
    }

    @Test("every architecture round-trips")
    func architectures() throws {
        for architecture in Architecture.allCases {
            let nodes = try architecture.nodes(inputShape: [1, 8, 8], classes: 10)
            let graph = try makeGraph(inputShape: [1, 8, 8], nodes: nodes, seed: 53)
            let (loaded, _) = try ModelFile.decode(try ModelFile.encode(graph), backend: cpu)
            #expect(loaded.nodes.map(\.name) == graph.nodes.map(\.name))
            for (name, value) in graph.parameters {
                #expect(try values(loaded.parameters[name]!).map(\.bitPattern) == values(value).map(\.bitPattern))
            }
            var generator = SplitMix64(seed: 54)
            let input = try upload(generator.floats(128, 0, 1), [2, 1, 8, 8])
            #expect(try values(try loaded.predict(input)) == values(try graph.predict(input)))
        }
    }

    // MARK: Damaged files

    @Test("truncation at every byte offset throws")
    func truncation() throws {
        let bytes = try ModelFile.encode(try Self.model(), metadata: Self.metadata)
        var failures = [Int]()
        for length in 0..<bytes.count {
            do {
                _ = try ModelFile.decode(bytes.prefix(length), backend: cpu)
                failures.append(length)
            } catch {}
        }
        #expect(failures.isEmpty, "truncations to \(failures.prefix(10)) bytes were accepted")
        // A slice that does not start at index 0 decodes like the bytes themselves.
        let shifted = (Data([0xAA]) + bytes).dropFirst()
        #expect(throws: Never.self) { _ = try ModelFile.decode(shifted, backend: cpu) }
        #expect(throws: (any Error).self) { _ = try ModelFile.decode(shifted.dropLast(), backend: cpu) }
    }

    @Test("loading a truncated or corrupted file throws invalidFile naming the path")
    func loadDamagedFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = try ModelFile.encode(try Self.model())
        let url = directory.appendingPathComponent("damaged.glassbox")
        var damaged = [Data]()
        for length in [
            0, 1, 7, 8, 12, 19, 20, 24, 100, bytes.count / 2, bytes.count - 5, bytes.count - 4, bytes.count - 1,
        ] {
            damaged.append(bytes.prefix(length))
        }
        for position in [0, 9, 13, 30, bytes.count - 100, bytes.count - 2] {
            var copy = bytes
            copy[position] ^= 0x10
            damaged.append(copy)
        }
        damaged.append(bytes + Data([0]))
        for data in damaged {
            try data.write(to: url)
            let error = glassboxError { _ = try ModelFile.load(from: url, backend: cpu) }
            guard case .invalidFile(let path, let reason)? = error else {
                Issue.record("expected invalidFile, got \(String(describing: error))")
                continue
            }
            #expect(path == url.path)
            #expect(!reason.isEmpty)
        }
        // A missing file and a directory.
        for missing in [directory.appendingPathComponent("absent.glassbox"), directory] {
            guard
                case .invalidFile(let path, _)? = glassboxError({ _ = try ModelFile.load(from: missing, backend: cpu) })
            else {
                Issue.record("expected invalidFile for \(missing.path)")
                continue
            }
            #expect(path == missing.path)
        }
        // Saving into a directory that does not exist.
        let unwritable = directory.appendingPathComponent("no/such/dir/model.glassbox")
        guard case .invalidFile(let path, _)? = glassboxError({ try ModelFile.save(try Self.model(), to: unwritable) })
        else {
            Issue.record("expected invalidFile when saving to \(unwritable.path)")
            return
        }
        #expect(path == unwritable.path)
    }

    @Test("a flipped byte anywhere is caught")
    func flippedBytes() throws {
        let bytes = try ModelFile.encode(try Self.model(), metadata: Self.metadata)
        var accepted = [Int]()
        for position in 0..<bytes.count {
            for flip: UInt8 in position % 2 == 0 ? [0x01, 0x80] : [0xFF] {
                var copy = bytes
                copy[position] ^= flip
                do {
                    _ = try ModelFile.decode(copy, backend: cpu)
                    accepted.append(position)
                } catch {}
            }
        }
        #expect(accepted.isEmpty, "corruption at \(accepted.prefix(10)) was accepted")
    }

    // MARK: Hand-made files with valid checksums

    /// A model file assembled by hand: magic, version, header length, JSON header, payload, CRC.
    static func assemble(
        _ json: String, payload: [Float], version: UInt32 = ModelFile.version, headerLength: UInt64? = nil,
        magic: String = "GLASSBOX"
    ) -> Data {
        var bytes = Array(magic.utf8)
        let header = Array(json.utf8)
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(headerLength ?? UInt64(header.count))
        bytes += header
        for value in payload { bytes.appendLittleEndian(value.bitPattern) }
        bytes.appendLittleEndian(CRC32.checksum(bytes))
        return Data(bytes)
    }

    /// The header of input (2) → dense "fc" (2 → 3, bias), with the pieces a case changes.
    static func header(
        type: String = "dense", inputFeatures: Int = 2, outputFeatures: Int = 3,
        weightShape: String = "[3,2]", biasShape: String = "[3]", inputShape: String = "[2]",
        extraParameter: String = ""
    ) -> String {
        """
        {"inputName":"input","inputShape":\(inputShape),"outputName":"fc",\
        "nodes":[{"name":"fc","inputs":["input"],"type":"\(type)",\
        "config":{"inputFeatures":\(inputFeatures),"outputFeatures":\(outputFeatures),"hasBias":true}}],\
        "parameters":[{"name":"fc.weight","shape":\(weightShape)},{"name":"fc.bias","shape":\(biasShape)}\(extraParameter)],\
        "metadata":{"by":"hand"}}
        """
    }

    static let payload: [Float] = [1, 2, 3, 4, 5, 6, 0.5, -0.5, 0.25]

    /// The header of input → reshape "flat" (no parameters).
    static func reshapeHeader(inputShape: String, config: String = "{}") -> String {
        """
        {"inputName":"input","inputShape":\(inputShape),"outputName":"flat",\
        "nodes":[{"name":"flat","inputs":["input"],"type":"reshape","config":\(config)}],"parameters":[],"metadata":{}}
        """
    }

    @Test("a hand-assembled file decodes as expected")
    func handMadeValid() throws {
        let (graph, metadata) = try ModelFile.decode(Self.assemble(Self.header(), payload: Self.payload), backend: cpu)
        #expect(metadata == ["by": "hand"])
        #expect(graph.nodes.first?.layer as? Dense == Dense(2, 3))
        #expect(try values(graph.parameters["fc.weight"]!) == [1, 2, 3, 4, 5, 6])
        // x·Wᵀ + b for x = [1, 1]: [3, 7, 11] + b.
        #expect(try values(try graph.predict(try upload([1, 1], [1, 2]))) == [3.5, 6.5, 11.25])
    }

    struct BadFile: CustomTestStringConvertible, Sendable {
        var label: String
        var data: Data
        /// A phrase the error must contain.
        var phrase: String
        var testDescription: String { label }
    }

    static let badFiles: [BadFile] = [
        BadFile(
            label: "unknown layer type", data: assemble(header(type: "transformer"), payload: payload),
            phrase: "transformer"),
        BadFile(
            label: "parameter shape that mismatches the layer",
            data: assemble(header(weightShape: "[2,3]"), payload: payload), phrase: "fc.weight"),
        BadFile(
            label: "layer configuration that mismatches the input",
            data: assemble(header(inputFeatures: 4, weightShape: "[3,4]"), payload: payload + [0, 0, 0, 0, 0, 0]),
            phrase: "fc"),
        BadFile(
            label: "parameter for no layer",
            data: assemble(header(extraParameter: #",{"name":"fc.scale","shape":[1]}"#), payload: payload + [1]),
            phrase: "fc.scale"),
        BadFile(
            label: "negative output size", data: assemble(header(outputFeatures: -3), payload: payload), phrase: "fc"),
        BadFile(label: "negative dimension", data: assemble(header(biasShape: "[-3]"), payload: payload), phrase: "-3"),
        BadFile(
            label: "parameter running past the end", data: assemble(header(), payload: Array(payload.dropLast())),
            phrase: "past the end"),
        BadFile(
            label: "shape whose size overflows",
            data: assemble(header(biasShape: "[4611686018427387904,4]"), payload: payload), phrase: "fc.bias"),
        BadFile(
            label: "input shape whose size overflows",
            data: assemble(reshapeHeader(inputShape: "[4611686018427387904,4]"), payload: []), phrase: "flat"),
        BadFile(
            label: "reshape target whose size overflows",
            data: assemble(
                reshapeHeader(inputShape: "[8]", config: #"{"sampleShape":[4611686018427387904,4,4]}"#), payload: []),
            phrase: "flat"),
        BadFile(label: "extra payload", data: assemble(header(), payload: payload + [7]), phrase: "unexpected bytes"),
        BadFile(
            label: "NaN parameter", data: assemble(header(), payload: [1, 2, .nan, 4, 5, 6, 0, 0, 0]), phrase: "NaN"),
        BadFile(
            label: "infinite parameter", data: assemble(header(), payload: [1, 2, 3, 4, 5, 6, 0, 0, -.infinity]),
            phrase: "infinite"),
        BadFile(label: "future version", data: assemble(header(), payload: payload, version: 2), phrase: "version 2"),
        BadFile(
            label: "header length beyond the file",
            data: assemble(header(), payload: payload, headerLength: 1 << 40), phrase: "exceeds"),
        BadFile(
            label: "header length of UInt64.max", data: assemble(header(), payload: payload, headerLength: .max),
            phrase: "exceeds"),
        BadFile(
            label: "header length cutting the JSON",
            data: assemble(header(), payload: payload, headerLength: UInt64(header().utf8.count - 10)), phrase: "header"
        ),
        BadFile(label: "not JSON", data: assemble("GLASSBOX", payload: []), phrase: "header"),
        BadFile(label: "JSON of the wrong form", data: assemble(#"{"nodes":7}"#, payload: []), phrase: "header"),
        BadFile(label: "bad magic", data: assemble(header(), payload: payload, magic: "GLASSB0X"), phrase: "magic"),
        BadFile(
            label: "cycle",
            data: assemble(
                header().replacingOccurrences(of: #""inputs":["input"]"#, with: #""inputs":["fc"]"#),
                payload: payload), phrase: "cycle"),
    ]

    @Test("files with a valid checksum but inconsistent contents give a clear error", arguments: badFiles)
    func inconsistentFiles(_ file: BadFile) throws {
        #expect(throws: (any Error).self) { _ = try ModelFile.decode(file.data, backend: cpu) }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("hand.glassbox")
        try file.data.write(to: url)
        guard
            case .invalidFile(let path, let reason)? = glassboxError({ _ = try ModelFile.load(from: url, backend: cpu) }
            )
        else {
            Issue.record("expected invalidFile")
            return
        }
        #expect(path == url.path)
        #expect(reason.contains(file.phrase), "\(reason)")
    }
}
