import Foundation
import Testing

/// `glassbox uncertainty` and `glassbox evaluate-uncertainty` end to end on the CLI tests' MLP (it has dropout).
extension CLITests {
    @Test func uncertaintyWritesTheDecompositionAndAPlot() throws {
        let folder = Self.workspace.appendingPathComponent("uncertainty")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json = folder.appendingPathComponent("u.json"), plot = folder.appendingPathComponent("u.png")
        let result = try CommandRunner.run([
            "uncertainty", "--model", model.path, "--input", digitsInputs, "--samples", "20",
            "--output", json.path, "--plot", plot.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("aleatoric") && result.standardOutput.contains("20 passes per input"))
        let report = try JSONSerialization.jsonObject(with: try Data(contentsOf: json)) as? [String: Any]
        let inputs = try #require(report?["inputs"] as? [[String: Any]])
        #expect(inputs.count == 4 && inputs.allSatisfy { ($0["predictedClassSamples"] as? [Double])?.count == 20 })
        #expect(try Data(contentsOf: plot).starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func evaluateUncertaintyReportsCalibrationAndDetection() throws {
        let folder = Self.workspace.appendingPathComponent("evaluate")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json = folder.appendingPathComponent("e.json"), diagram = folder.appendingPathComponent("reliability.png")
        let result = try CommandRunner.run([
            "evaluate-uncertainty", "--model", model.path, "--samples", "4", "--ood", "noise", "inverted",
            "--reliability", diagram.path, "--output", json.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("ECE (15 bins)") && result.standardOutput.contains("OOD inverted"))
        let report = try JSONSerialization.jsonObject(with: try Data(contentsOf: json)) as? [String: Any]
        #expect(((report?["calibration"] as? [String: Any])?["bins"] as? [Any])?.count == 15)
        #expect((report?["detection"] as? [Any])?.count == 2)
        #expect(try Data(contentsOf: diagram).starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    /// A PyTorch export that kept its Dropout nodes samples them too.
    @Test func uncertaintySamplesTheDropoutOfAnONNXModel() throws {
        let fixtures = Self.explainFixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GlassboxONNXTests/Fixtures")
        let result = try CommandRunner.run([
            "uncertainty", "--model", fixtures.appendingPathComponent("small_cnn_torch_dropout.onnx").path,
            "--input", fixtures.appendingPathComponent("small_cnn_torch_dropout.input.npy").path, "--samples", "30",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(
            result.standardOutput.contains("mc-dropout: 30 passes per input")
                && !result.standardOutput.contains("epistemic 0.0000"))
    }

    @Test func uncertaintyRefusesAModelWithoutDropoutInOneLine() throws {
        try expectCleanFailure(
            [
                "uncertainty", "--model", digitsCNN, "--input", digitsInputs, "--output",
                Self.workspace.appendingPathComponent("never-u.json").path,
            ], mentioning: "no dropout layer")
        try expectCleanFailure(
            [
                "evaluate-uncertainty", "--model", Self.zennitFixtures.appendingPathComponent("small_cnn.onnx").path,
                "--method", "deterministic",
            ], mentioning: "the model takes")
    }
}

/// Bayes by backprop from the command line: train a Bayesian MLP, then sample its weights.
extension CLITests {
    @Test func bayesianTrainingPrintsELBOTermsAndItsModelSamplesWeights() throws {
        let model = Self.workspace.appendingPathComponent("bayes-mlp.glassbox")
        let training = try CommandRunner.run([
            "train", "--arch", "bayes-mlp", "--epochs", "2", "--samples", "2", "--prior", "gaussian:0.5",
            "--output", model.path,
        ])
        #expect(training.status == 0, "\(training.standardError)")
        #expect(training.standardOutput.contains("KL/N") && training.standardOutput.contains("−ELBO/N"))
        let result = try CommandRunner.run([
            "uncertainty", "--model", model.path, "--input", digitsInputs, "--method", "bayes", "--samples", "16",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("bayes: 16 passes per input"))
        try expectCleanFailure(
            ["uncertainty", "--model", self.model.path, "--input", digitsInputs, "--method", "bayes"],
            mentioning: "no Bayesian layer")
        try expectCleanFailure(
            [
                "train", "--arch", "bayes-mlp", "--epochs", "1", "--prior", "gaussian:-1",
                "--output", Self.workspace.appendingPathComponent("never.glassbox").path,
            ], mentioning: "--prior")
    }
}
