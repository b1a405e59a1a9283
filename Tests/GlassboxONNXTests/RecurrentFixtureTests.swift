import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxOpenCL
import Testing

@testable import GlassboxONNX

/// One case of `Fixtures/recurrent/manifest.json` (written by `scripts/make_onnx_recurrent_fixtures.py`):
/// an LSTM model, its batches and outputs, or the error its import must fail with.
struct RecurrentFixture: Decodable, CustomTestStringConvertible, Sendable {
    var `case`: String
    var outputs: [String]
    var batches: [String]
    /// Whether PyTorch's input gradient is recorded (`<case>.batch2.seed.npy`, `.input_gradient.npy`).
    var gradient: Bool
    /// Text the one-line import error must contain, for the cases the importer refuses.
    var error: String?

    var testDescription: String { self.case }

    static let folder = fixtures.appendingPathComponent("recurrent")

    static var all: [RecurrentFixture] {
        struct Manifest: Decodable { var cases: [RecurrentFixture] }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { return [] }
        return manifest.cases
    }

    static var imported: [RecurrentFixture] { all.filter { $0.error == nil } }

    var url: URL { Self.folder.appendingPathComponent("\(self.case).onnx") }

    func array(_ suffix: String) throws -> NumpyArray {
        try NumpyArray.read(from: Self.folder.appendingPathComponent("\(self.case).\(suffix).npy"))
    }

    /// Every output of every batch against onnxruntime, and the input gradient against PyTorch.
    func check(on backend: any Backend) throws {
        for output in outputs {
            let graph = try ONNXImporter.load(from: url, backend: backend, options: ImportOptions(output: output)).graph
            for batch in batches {
                let x = try array("\(batch).input"), expected = try array("\(batch).\(output)")
                let result = try graph.predict(try backend.upload(x.values, shape: x.shape))
                #expect(result.shape == expected.shape, "\(self.case) \(batch) \(output)")
                #expect(
                    normalisedError(try result.toArray(), expected.values) < 1e-5,
                    "\(self.case) \(batch) \(output) on \(backend.name)")
            }
        }
        guard gradient else { return }
        let graph = try ONNXImporter.load(from: url, backend: backend).graph
        let x = try array("batch2.input"), seed = try array("batch2.seed"),
            expected = try array("batch2.input_gradient")
        let record = try graph.forward(try backend.upload(x.values, shape: x.shape))
        let result = try graph.backward(
            record, seeds: [graph.outputName: try backend.upload(seed.values, shape: seed.shape)])
        #expect(
            normalisedError(try result.gradient(at: graph.inputName).toArray(), expected.values) < 1e-4,
            "\(self.case) input gradient on \(backend.name)")
    }
}

/// LSTM models (`nn.LSTM` exported by PyTorch, and layouts PyTorch never writes) against
/// onnxruntime's outputs and PyTorch's input gradients, on the CPU and on the first OpenCL
/// device where there is one; and the models the importer refuses, with their one-line reasons.
@Suite("Recurrent ONNX models against onnxruntime and PyTorch")
struct RecurrentFixtureTests {
    @Test func casesArePresent() {
        #expect(RecurrentFixture.imported.count >= 12)
        #expect(RecurrentFixture.all.count(where: { $0.error != nil }) >= 8)
    }

    @Test(arguments: RecurrentFixture.imported)
    func matchesOnTheCPU(_ fixture: RecurrentFixture) throws {
        try fixture.check(on: CPUBackend.shared)
    }

    @Test(
        .enabled(if: ((try? OpenCLDevice.all()) ?? []).isEmpty == false, "no OpenCL device"),
        arguments: RecurrentFixture.imported)
    func matchesOnOpenCL(_ fixture: RecurrentFixture) throws {
        try fixture.check(on: try OpenCLBackend.shared(deviceIndex: 0))
    }

    @Test(arguments: RecurrentFixture.all.filter { $0.error != nil })
    func refused(_ fixture: RecurrentFixture) throws {
        let error = #expect(throws: GlassboxError.self) {
            _ = try ONNXImporter.load(from: fixture.url, backend: CPUBackend.shared)
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(fixture.error ?? ""), "\(message)")
        #expect(!message.contains("\n"), "\(message)")
    }

    /// Each direction is an `LSTM` layer whose output, the hidden state of every step, a
    /// program can read by name; the bidirectional layer's halves are its two directions.
    @Test func directionsAreLayersWithPerStepStates() throws {
        let fixture = try #require(RecurrentFixture.imported.first { $0.case == "lstm_bidirectional" })
        let graph = try ONNXImporter.load(from: fixture.url, backend: CPUBackend.shared).graph
        let layers = graph.nodes.filter { $0.layer is LSTM }
        #expect(layers.map { ($0.layer as? LSTM)?.reverse } == [false, true])
        let x = try fixture.array("batch2.input"), y = try fixture.array("batch2.y")
        let record = try graph.forward(try CPUBackend.shared.upload(x.values, shape: x.shape))
        // y is [N, T, 2H]: the forward direction's states, then the reverse one's, per step.
        let hidden = 8, steps = x.shape[1]
        for (direction, node) in layers.enumerated() {
            let states = try record.activation(node.name)
            #expect(states.shape == [2, steps, hidden])
            var expected = [Float]()
            for row in 0..<(2 * steps) {
                let start = (2 * row + direction) * hidden
                expected += y.values[start..<(start + hidden)]
            }
            #expect(normalisedError(try states.toArray(), expected) < 1e-5, "\(node.name)")
        }
    }
}
