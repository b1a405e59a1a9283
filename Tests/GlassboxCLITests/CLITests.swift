import Foundation
import Testing

/// End-to-end checks of the command-line tool: a user's session, and every kind
/// of bad input ending in one clear line and a non-zero exit.
@Suite(.serialized)
struct CLITests {
    /// A model trained briefly once for all tests (mlp: fast in debug builds).
    static let workspace: URL = {
        let directory = try! CommandRunner.temporaryDirectory()
        let result = try! CommandRunner.run([
            "train", "--dataset", "digits", "--arch", "mlp", "--epochs", "1",
            "--output", directory.appendingPathComponent("model.glassbox").path,
        ])
        precondition(result.status == 0, "training for the CLI tests failed: \(result.standardError)")
        return directory
    }()

    var model: URL { Self.workspace.appendingPathComponent("model.glassbox") }

    /// Expects a failure reported as exactly one line on standard error, naming `needle`.
    func expectCleanFailure(
        _ arguments: [String], mentioning needle: String, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try CommandRunner.run(arguments, environment: environment)
        #expect(result.status != 0, "exit status", sourceLocation: sourceLocation)
        #expect(!result.terminatedBySignal, "crashed: \(result.standardError)", sourceLocation: sourceLocation)
        let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(
            lines.count == 1, "expected one error line, got: \(result.standardError)", sourceLocation: sourceLocation)
        #expect(
            result.standardError.contains(needle), "error does not mention \(needle): \(result.standardError)",
            sourceLocation: sourceLocation)
    }

    @Test func trainInfoExportPredict() throws {
        let info = try CommandRunner.run(["info", model.path])
        #expect(info.status == 0)
        #expect(info.standardOutput.contains("logits"))
        #expect(info.standardOutput.contains("parameters"))

        let sample = Self.workspace.appendingPathComponent("batch.npy")
        let export = try CommandRunner.run(["export-sample", "--index", "0", "1", "2", "--output", sample.path])
        #expect(export.status == 0, "\(export.standardError)")

        let logits = Self.workspace.appendingPathComponent("logits.npy")
        let predict = try CommandRunner.run([
            "predict", "--model", model.path, "--input", sample.path, "--top", "2",
            "--output", logits.path,
        ])
        #expect(predict.status == 0, "\(predict.standardError)")
        #expect(predict.standardOutput.split(separator: "\n").filter { $0.hasPrefix("sample ") }.count == 3)
        let bytes = try Data(contentsOf: logits)
        #expect(bytes.starts(with: [0x93] + Array("NUMPY".utf8)))
    }

    @Test func missingFilesAreNamed() throws {
        try expectCleanFailure(["info", "/nonexistent/model.glassbox"], mentioning: "/nonexistent/model.glassbox")
        try expectCleanFailure(
            ["predict", "--model", model.path, "--input", "/nonexistent/x.npy"], mentioning: "/nonexistent/x.npy")
    }

    @Test func malformedNpyIsRejected() throws {
        let bad = Self.workspace.appendingPathComponent("bad.npy")
        try Data("this is not a numpy file at all".utf8).write(to: bad)
        try expectCleanFailure(["predict", "--model", model.path, "--input", bad.path], mentioning: bad.path)
    }

    @Test func inputOfWrongShapeIsRejected() throws {
        let sample = Self.workspace.appendingPathComponent("wrong.npy")
        try Self.npy(shape: [3, 5], values: Array(repeating: 0.5, count: 15)).write(to: sample)
        try expectCleanFailure(
            ["predict", "--model", model.path, "--input", sample.path], mentioning: "does not match")
    }

    @Test func nonFiniteInputIsRejected() throws {
        let sample = Self.workspace.appendingPathComponent("nan.npy")
        var values = [Float](repeating: 0.5, count: 64)
        values[10] = .nan
        try Self.npy(shape: [1, 8, 8], values: values).write(to: sample)
        try expectCleanFailure(["predict", "--model", model.path, "--input", sample.path], mentioning: "NaN")
    }

    @Test func truncatedModelsAreRejectedAtEveryKindOfOffset() throws {
        let bytes = try Data(contentsOf: model)
        let sample = Self.workspace.appendingPathComponent("one.npy")
        try Self.npy(shape: [1, 8, 8], values: Array(repeating: 0.25, count: 64)).write(to: sample)
        let offsets = [
            0, 1, 7, 8, 12, 19, 20, 21, 100, 400, bytes.count / 2, bytes.count - 5, bytes.count - 4, bytes.count - 1,
        ]
        for offset in offsets {
            let truncated = Self.workspace.appendingPathComponent("truncated-\(offset).glassbox")
            try bytes.prefix(offset).write(to: truncated)
            try expectCleanFailure(
                ["predict", "--model", truncated.path, "--input", sample.path], mentioning: truncated.path)
        }
    }

    @Test func devicesAreListedAndAMissingDeviceIsAClearError() throws {
        let devices = try CommandRunner.run(["devices"])
        #expect(devices.status == 0)
        #expect(devices.standardOutput.hasPrefix("cpu "))
        try expectCleanFailure(
            ["predict", "--model", model.path, "--input", "/dev/null", "--device", "opencl:99"],
            mentioning: "OpenCL")
    }

    /// On a machine with OpenCL (PoCL in CI), `--device opencl` gives the CPU's predictions.
    @Test func predictOnOpenCLMatchesTheCPU() throws {
        guard try CommandRunner.run(["devices"]).standardOutput.contains("opencl:0") else { return }
        let sample = Self.workspace.appendingPathComponent("opencl-batch.npy")
        #expect(try CommandRunner.run(["export-sample", "--index", "4", "5", "--output", sample.path]).status == 0)
        var logits = [String: [Float]]()
        for device in ["cpu", "opencl"] {
            let output = Self.workspace.appendingPathComponent("logits-\(device).npy")
            let run = try CommandRunner.run([
                "predict", "--model", model.path, "--input", sample.path, "--device", device,
                "--output", output.path,
            ])
            #expect(run.status == 0, "\(run.standardError)")
            logits[device] = Self.floats(ofNpy: try Data(contentsOf: output))
        }
        let cpu = try #require(logits["cpu"]), opencl = try #require(logits["opencl"])
        #expect(cpu.count == 20)
        let scale = cpu.map(abs).max() ?? 1
        #expect(zip(cpu, opencl).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
    }

    /// The float32 values of a version-1.0 little-endian .npy file.
    static func floats(ofNpy data: Data) -> [Float] {
        let bytes = [UInt8](data)
        let start = 10 + Int(bytes[8]) + Int(bytes[9]) << 8
        return stride(from: start, to: bytes.count, by: 4).map { offset in
            Float(
                bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                    | UInt32(bytes[offset + 3]) << 24)
        }
    }

    /// A broken kernel source (through GLASSBOX_KERNELS) ends in an error carrying the compiler's log.
    @Test func aBrokenKernelOverrideReportsTheBuildLog() throws {
        guard try CommandRunner.run(["devices"]).standardOutput.contains("opencl:0") else { return }
        let kernels = Self.workspace.appendingPathComponent("broken-kernels")
        try FileManager.default.createDirectory(at: kernels, withIntermediateDirectories: true)
        try Data("kernel void kernel_fill(global float *x) { x[0] = this_is_not_defined; }\n".utf8)
            .write(to: kernels.appendingPathComponent("elementwise.cl"))
        let sample = Self.workspace.appendingPathComponent("kernel-test.npy")
        #expect(try CommandRunner.run(["export-sample", "--output", sample.path]).status == 0)
        let result = try CommandRunner.run(
            ["predict", "--model", model.path, "--input", sample.path, "--device", "opencl"],
            environment: ["GLASSBOX_KERNELS": kernels.path])
        #expect(result.status != 0)
        #expect(!result.terminatedBySignal)
        #expect(result.standardError.contains("build log"))
        #expect(result.standardError.contains("this_is_not_defined"))
    }

    /// ONNX models run from the command line, and a damaged one is one clear error.
    @Test func onnxModelsAreInspectedAndRun() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GlassboxONNXTests/Fixtures")
        let onnx = fixtures.appendingPathComponent("small_cnn.onnx").path
        let info = try CommandRunner.run(["info", onnx])
        #expect(info.status == 0)
        #expect(info.standardOutput.contains("conv2"))
        #expect(info.standardOutput.contains("opset: 13"))
        let logits = Self.workspace.appendingPathComponent("onnx-logits.npy")
        let predict = try CommandRunner.run([
            "predict", "--model", onnx, "--input", fixtures.appendingPathComponent("small_cnn.input.npy").path,
            "--output", logits.path,
        ])
        #expect(predict.status == 0, "\(predict.standardError)")
        let expected = Self.floats(ofNpy: try Data(contentsOf: fixtures.appendingPathComponent("small_cnn.output.npy")))
        let actual = Self.floats(ofNpy: try Data(contentsOf: logits))
        #expect(actual.count == expected.count)
        #expect(zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-4 * (expected.map(abs).max() ?? 1) })
        let damaged = Self.workspace.appendingPathComponent("damaged.onnx")
        try Data(contentsOf: URL(fileURLWithPath: onnx)).prefix(700).write(to: damaged)
        try expectCleanFailure(["info", damaged.path], mentioning: damaged.path)
    }

    @Test func badArgumentsAreRejected() throws {
        let result = try CommandRunner.run(["train", "--epochs", "0"])
        #expect(result.status != 0)
        #expect(!result.terminatedBySignal)
        #expect(result.standardError.contains("--epochs"))
    }

    /// A float32 little-endian version-1.0 .npy file, written by hand so the test is independent of GlassboxIO.
    static func npy(shape: [Int], values: [Float]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)])
        data += Data(header.utf8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        return data
    }
}
