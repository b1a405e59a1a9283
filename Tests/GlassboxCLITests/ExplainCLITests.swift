import Foundation
import Testing

/// `glassbox explain` end to end on the digits CNN the Captum fixtures use.
extension CLITests {
    static let explainFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GlassboxExplainTests/Fixtures")
    var digitsCNN: String { Self.explainFixtures.appendingPathComponent("digits_cnn.onnx").path }
    var digitsInputs: String { Self.explainFixtures.appendingPathComponent("digits_cnn.inputs.npy").path }

    @Test func explainWritesMapsHeatmapsAndASummary() throws {
        let folder = Self.workspace.appendingPathComponent("explain")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let map = folder.appendingPathComponent("ig.npy"), heatmap = folder.appendingPathComponent("ig.png")
        let summary = folder.appendingPathComponent("ig.json")
        let result = try CommandRunner.run([
            "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "integrated-gradients",
            "--steps", "16", "--target", "7", "6", "3", "2", "--output", map.path,
            "--heatmap", heatmap.path, "--summary", summary.path, "--device", "cpu",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("convergence delta"))
        #expect(Self.floats(ofNpy: try Data(contentsOf: map)).count == 4 * 64)
        for row in 0..<4 {
            let png = try Data(contentsOf: folder.appendingPathComponent("ig-\(row).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: summary)) as? [String: Any]
        #expect(json?["method"] as? String == "integrated-gradients")
        #expect((json?["rows"] as? [[String: Any]])?.map { $0["target"] as? Int } == [7, 6, 3, 2])
        #expect((json?["parameters"] as? [String: String])?["integration"] == "gauss-legendre")
    }

    @Test func explainTakesImagesAndEveryMethodRuns() throws {
        let image = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GlassboxIOTests/Fixtures/images/gray.png").path
        let methods: [[String]] = [
            ["saliency"], ["input-x-gradient"], ["smoothgrad", "--samples", "4"],
            ["vargrad", "--samples", "4", "--sigma", "0.2"],
            ["smoothgrad-sq", "--samples", "3", "--base", "guided-backprop"], ["guided-backprop"], ["deconvnet"],
            ["grad-cam", "--upsample"], ["grad-cam++", "--layer", "/conv2/Conv_output_0"], ["guided-grad-cam"],
            ["occlusion", "--window", "1,2,2"], ["integrated-gradients", "--steps", "4", "--baseline", "blurred:1"],
        ]
        for method in methods {
            let output = Self.workspace.appendingPathComponent("image-\(method[0]).png")
            let result = try CommandRunner.run(
                [
                    "explain", "--model", digitsCNN, "--input", image, "--heatmap", output.path,
                    "--overlay", "--method",
                ] + method)
            #expect(result.status == 0, "\(method): \(result.standardError)")
            #expect(FileManager.default.fileExists(atPath: output.path), "\(method)")
        }
    }

    @Test func explainRejectsBadInputInOneLine() throws {
        let output = Self.workspace.appendingPathComponent("never.npy").path
        let notAnImage = Self.workspace.appendingPathComponent("not-an-image.png")
        try Data("plain text".utf8).write(to: notAnImage)
        try expectCleanFailure(
            ["explain", "--model", digitsCNN, "--input", notAnImage.path, "--method", "saliency", "--output", output],
            mentioning: notAnImage.path)
        let wrongShape = Self.workspace.appendingPathComponent("wrong-shape.npy")
        try Self.npy(shape: [3, 5, 5], values: Array(repeating: 0.5, count: 75)).write(to: wrongShape)
        try expectCleanFailure(
            ["explain", "--model", digitsCNN, "--input", wrongShape.path, "--method", "saliency", "--output", output],
            mentioning: wrongShape.path)
        try expectCleanFailure(
            [
                "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "saliency", "--target", "10",
                "--output", output,
            ], mentioning: "--target 10")
        try expectCleanFailure(
            [
                "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "grad-cam", "--layer", "nope",
                "--output", output,
            ], mentioning: "no node named 'nope'")
        try expectCleanFailure(
            ["explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "occlusion", "--output", output],
            mentioning: "--window")
        let nothing = try CommandRunner.run([
            "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "saliency",
        ])
        #expect(nothing.status != 0 && nothing.standardError.contains("nothing to write"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
