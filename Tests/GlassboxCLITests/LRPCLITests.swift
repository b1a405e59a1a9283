import Foundation
import Testing

/// `glassbox explain --method lrp` end to end on the Zennit fixtures' small ResNet (ONNX, batch norms kept).
extension CLITests {
    static let zennitFixtures = explainFixtures.appendingPathComponent("zennit")

    @Test func lrpOnAnONNXResNetMatchesZennitAndReportsConservation() throws {
        let folder = Self.workspace.appendingPathComponent("lrp")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let map = folder.appendingPathComponent("gamma-box.npy"),
            summary = folder.appendingPathComponent("gamma-box.json")
        let result = try CommandRunner.run([
            "explain", "--model", Self.zennitFixtures.appendingPathComponent("small_resnet.onnx").path,
            "--input", Self.zennitFixtures.appendingPathComponent("small_resnet.inputs.npy").path, "--target", "0", "2",
            "4",
            "--method", "lrp", "--composite", "epsilon-gamma-box", "--gamma", "0.5", "--epsilon", "0.01",
            "--mean", "0.485,0.456,0.406", "--std", "0.229,0.224,0.225",
            "--output", map.path, "--heatmap", folder.appendingPathComponent("gamma-box.png").path, "--summary",
            summary.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("conservation error"))
        let ours = Self.floats(ofNpy: try Data(contentsOf: map))
        let zennit = Self.floats(
            ofNpy: try Data(
                contentsOf: Self.zennitFixtures.appendingPathComponent(
                    "small_resnet.epsilon-gamma-box-g0.5-eps0.01.npy")))
        let scale = zennit.map(abs).max()!
        #expect(zip(ours, zennit).allSatisfy { abs($0 - $1) < 1e-4 * scale })
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: summary)) as? [String: Any]
        let rows = try #require(json?["rows"] as? [[String: Any]])
        let conservation = rows.compactMap { $0["conservation"] as? [String: Double] }
        #expect(
            conservation.count == 3
                && conservation.allSatisfy { $0["error"] != nil && $0["relevanceSum"] != nil && $0["score"] != nil })
        #expect(
            (json?["parameters"] as? [String: String])?["composite"]?.hasPrefix("epsilon-gamma-box: first layer z-box")
                == true)
        for composite in ["epsilon-plus", "epsilon-alpha2-beta1", "epsilon-plus-flat"] {
            let run = try CommandRunner.run([
                "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "lrp", "--composite", composite,
                "--max-pooling", "proportional", "--output", folder.appendingPathComponent("\(composite).npy").path,
            ])
            #expect(run.status == 0, "\(composite): \(run.standardError)")
        }
    }

    /// `--composite epsilon` (AttnLRP) on the AttnLRP fixtures' small vision transformer
    /// (ONNX: layer normalisations, attention, GELU in pieces) gives lxt's relevance
    /// (within 5e-4 of max|R|; see `AttnLRPCase.tolerance` in GlassboxExplainTests).
    @Test func lrpOnAnONNXVisionTransformerMatchesLxt() throws {
        let fixtures = Self.explainFixtures.appendingPathComponent("attnlrp")
        let map = Self.workspace.appendingPathComponent("lrp-vit.npy")
        let result = try CommandRunner.run([
            "explain", "--model", fixtures.appendingPathComponent("tiny_vit.onnx").path,
            "--input", fixtures.appendingPathComponent("tiny_vit.inputs.npy").path,
            "--method", "lrp", "--composite", "epsilon", "--output", map.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("conservation error"))
        let ours = Self.floats(ofNpy: try Data(contentsOf: map))
        let lxt = Self.floats(ofNpy: try Data(contentsOf: fixtures.appendingPathComponent("tiny_vit.attnlrp.npy")))
        let scale = lxt.map(abs).max()!
        #expect(ours.count == lxt.count && zip(ours, lxt).allSatisfy { abs($0 - $1) < 5e-4 * scale })
    }

    @Test func lrpRejectsBadRuleParametersInOneLine() throws {
        let output = Self.workspace.appendingPathComponent("never-lrp.npy").path
        let resnet = Self.zennitFixtures.appendingPathComponent("small_resnet.onnx").path
        let inputs = Self.zennitFixtures.appendingPathComponent("small_resnet.inputs.npy").path
        try expectCleanFailure(
            [
                "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "lrp", "--composite",
                "epsilon-alpha2-beta1",
                "--alpha", "3", "--beta", "1", "--output", output,
            ], mentioning: "alpha − beta = 1")
        try expectCleanFailure(
            [
                "explain", "--model", resnet, "--input", inputs, "--method", "lrp", "--composite", "epsilon-gamma-box",
                "--box-low", "0,0", "--box-high", "1,1", "--output", output,
            ], mentioning: "z-box bounds")
        try expectCleanFailure(
            [
                "explain", "--model", resnet, "--input", inputs, "--method", "lrp", "--composite", "epsilon-gamma-box",
                "--box-low", "low", "--output", output,
            ], mentioning: "--box-low")
        let negative = try CommandRunner.run([
            "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "lrp", "--epsilon=-1",
            "--output", output,
        ])
        #expect(negative.status != 0 && negative.standardError.contains("--epsilon must be a finite number ≥ 0"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
