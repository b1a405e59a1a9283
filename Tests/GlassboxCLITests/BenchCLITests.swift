import Foundation
import Testing

/// `glassbox bench` refuses a backend the machine lacks in one line (the runs themselves are timed by hand, in release).
extension CLITests {
    @Test func benchRefusesAnUnknownDevice() throws {
        try expectCleanFailure(["bench", "--quick", "--device", "opencl:99"], mentioning: "--device opencl:99")
    }

    /// `--models` benchmarks the ONNX files of a folder: the `residual` fixture (Conv, Add,
    /// GlobalAveragePool, Gemm) stands in for mobilenet_v3_small, the one imported model of a
    /// quick run, and `--filter` keeps this debug-build run to its two rows. A folder without
    /// the model skips it in one line; a folder that does not exist is an error naming it.
    @Test func benchRunsTheImportedModelsOfAFolder() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GlassboxONNXTests/Fixtures")
        let folder = try CommandRunner.temporaryDirectory()
        for suffix in ["onnx", "input.npy"] {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent("residual.\(suffix)"),
                to: folder.appendingPathComponent("mobilenet_v3_small.\(suffix)"))
        }
        let arguments = ["bench", "--quick", "--device", "cpu", "--filter", "mobilenet_v3_small"]
        let result = try CommandRunner.run(arguments + ["--models", folder.path])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").filter {
            $0.hasPrefix("cpu") && $0.contains("mobilenet")
        }
        #expect(rows.count == 2, "\(result.standardOutput)")
        #expect(rows.first?.contains("predict") == true && rows.last?.contains("saliency") == true)
        // Two 4→4 3×3 convolutions on 6×6 and a 4→5 dense layer: 2·(2·144·36 + 20) FLOP.
        #expect(rows.allSatisfy { $0.contains("GFLOP/s") && $0.contains("forward 2.078e-05 GFLOP") })

        let empty = try CommandRunner.temporaryDirectory()
        let skipped = try CommandRunner.run(arguments + ["--models", empty.path])
        #expect(skipped.status == 0, "\(skipped.standardError)")
        #expect(skipped.standardOutput.contains("mobilenet_v3_small skipped: no \(empty.path)"))
        try expectCleanFailure(arguments + ["--models", "/nonexistent/zoo"], mentioning: "/nonexistent/zoo")
    }
}
