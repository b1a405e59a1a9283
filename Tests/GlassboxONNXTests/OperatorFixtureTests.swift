import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxOpenCL
import Testing

@testable import GlassboxONNX

/// One case of `Fixtures/operators/manifest.json` (written by `scripts/make_onnx_operator_fixtures.py`):
/// a small model exercising one operator, its batch-of-two input and onnxruntime's outputs.
struct OperatorFixture: Decodable, CustomStringConvertible, Sendable {
    struct Output: Decodable, Sendable {
        var name: String
        var file: String
    }

    struct Tolerance: Decodable, Sendable {
        var rtol: Double
        var atol: Double
    }

    var `case`: String
    var opset: Int
    var outputs: [Output]
    var tolerance: Tolerance
    var files: [String]

    var description: String { self.case }

    static let folder = fixtures.appendingPathComponent("operators")

    static var all: [OperatorFixture] {
        struct Manifest: Decodable { var cases: [OperatorFixture] }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { return [] }
        return manifest.cases
    }

    func array(_ file: String) throws -> NumpyArray {
        try NumpyArray.read(from: Self.folder.appendingPathComponent(file))
    }

    /// Imports the model for `output` on `backend`, runs the input named `input` and
    /// checks the result against the recorded `expected` file.
    func check(output: Output, input: String, expected: String, backend: any Backend) throws {
        let x = try array(input), reference = try array(expected)
        let model = try ONNXImporter.load(
            from: Self.folder.appendingPathComponent("\(self.case).onnx"), backend: backend,
            options: ImportOptions(output: output.name, sampleShape: x.shape.sampleShape))
        let result = try model.graph.predict(try backend.upload(x.values, shape: x.shape))
        #expect(result.shape == reference.shape, "\(self.case) \(output.name)")
        let values = try result.toArray()
        let worst =
            zip(values, reference.values).map { actual, expected in
                abs(Double(actual) - Double(expected)) - tolerance.atol - tolerance.rtol * abs(Double(expected))
            }.max() ?? 0
        #expect(worst <= 0, "\(self.case) \(output.name): exceeds the tolerance by \(worst)")
    }
}

/// Every operator case against onnxruntime, on the CPU and, where there is one, the first
/// OpenCL device; the input is a batch of two, so each case also checks that samples stay apart.
@Suite("ONNX operators against onnxruntime")
struct OperatorFixtureTests {
    @Test func casesArePresent() { #expect(OperatorFixture.all.count >= 100) }

    @Test(arguments: OperatorFixture.all)
    func matchesOnnxruntimeOnTheCPU(_ fixture: OperatorFixture) throws {
        try check(fixture, backend: CPUBackend.shared)
    }

    @Test(
        .enabled(if: ((try? OpenCLDevice.all()) ?? []).isEmpty == false, "no OpenCL device"),
        arguments: OperatorFixture.all)
    func matchesOnnxruntimeOnOpenCL(_ fixture: OperatorFixture) throws {
        try check(fixture, backend: try OpenCLBackend.shared(deviceIndex: 0))
    }

    func check(_ fixture: OperatorFixture, backend: any Backend) throws {
        for (index, output) in fixture.outputs.enumerated() {
            let suffix = index == 0 ? "" : "\(index)"
            try fixture.check(
                output: output, input: "\(fixture.case).input.npy", expected: "\(fixture.case).output\(suffix).npy",
                backend: backend)
        }
        if fixture.files.contains("\(fixture.case).size2.input.npy") {
            try fixture.check(
                output: fixture.outputs[0], input: "\(fixture.case).size2.input.npy",
                expected: "\(fixture.case).size2.output.npy", backend: backend)
        }
    }
}
