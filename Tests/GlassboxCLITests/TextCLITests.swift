import Foundation
import Testing

/// Text end to end: a text model trained on the built-in tweets, then predicted, explained word by
/// word into the HTML report, sampled by MC-dropout and looked inside, and an ONNX text CNN
/// exported from PyTorch read through its vocabulary.
extension CLITests {
    /// An embedding-bag model trained for one epoch on the tweets (fast in debug builds).
    static let textModel: URL = {
        let model = workspace.appendingPathComponent("tweets.glassbox")
        let result = try! CommandRunner.run([
            "train", "--dataset", "tweets", "--arch", "embedding-bag", "--epochs", "1", "--sequence-length", "24",
            "--output", model.path,
        ])
        precondition(result.status == 0, "training the text model failed: \(result.standardError)")
        return model
    }()

    /// The PyTorch text fixtures of `scripts/make_text_fixtures.py`.
    static let textFixtures = explainFixtures.appendingPathComponent("text")

    static let lectureSentence = "I absolutely love this tech talk but"

    @Test func aTextModelTrainsOnTheTweetsAndPredictsNamedClasses() throws {
        let result = try CommandRunner.run([
            "predict", "--model", Self.textModel.path, "--text", Self.lectureSentence, "--text", "worst flight ever",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("text ") }.count == 2)
        #expect(["negative", "neutral", "positive"].allSatisfy(result.standardOutput.contains))
        let info = try CommandRunner.run(["info", Self.textModel.path])
        #expect(info.status == 0 && info.standardOutput.contains("tokens (<pad> <unk> "), "\(info.standardOutput)")
        #expect(info.standardOutput.split(separator: "\n").allSatisfy { $0.count < 1_000 })
    }

    @Test func trainingKeepsTheEpochOfBestValidationAccuracy() throws {
        let model = Self.workspace.appendingPathComponent("tweets-validated.glassbox")
        let result = try CommandRunner.run([
            "train", "--dataset", "tweets", "--arch", "embedding-bag", "--epochs", "3", "--sequence-length", "8",
            "--learning-rate", "0.02", "--weight-decay", "0.1", "--validation-fraction", "0.25", "--output",
            model.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        // A quarter of each class of the 4,800 training tweets is held out; the test split stays whole.
        #expect(output.contains("3600 train / 1200 validation / 1200 test samples"), "\(output)")
        let validation = output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.compactMap { line in
            line.firstRange(of: "validation accuracy ").flatMap { Double(line[$0.upperBound...].prefix { $0 != "%" }) }
        }
        #expect(validation.count == 3)
        let best = try #require(validation.firstIndex(of: validation.max() ?? -1)) + 1
        #expect(output.contains("kept epoch \(best), the best on validation"), "\(output)")
        let info = try CommandRunner.run(["info", model.path])
        #expect(info.standardOutput.contains("selected-epoch: \(best)"), "\(info.standardOutput)")
        #expect(info.standardOutput.contains("weight-decay: 0.1"))
        let refused = try CommandRunner.run(["train", "--dataset", "tweets", "--validation-fraction", "1"])
        #expect(refused.status != 0 && refused.standardError.contains("--validation-fraction"))
    }

    @Test func wordExplanationsGoToTheReportTheSummaryAndAnArray() throws {
        let folder = Self.workspace.appendingPathComponent("text-explain")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let report = folder.appendingPathComponent("r.html"), summary = folder.appendingPathComponent("s.json"),
            output = folder.appendingPathComponent("a.npy")
        let result = try CommandRunner.run([
            "explain", "--model", Self.textModel.path, "--text", Self.lectureSentence, "--method",
            "integrated-gradients,occlusion,saliency", "--steps", "16", "--report", report.path, "--summary",
            summary.path, "--output", output.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("convergence delta") && result.standardOutput.contains("y="))
        let json = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: summary)) as? [String: Any])
        let text = try #require((json["texts"] as? [[String: Any]])?.first)
        #expect(text["tokens"] as? [String] == ["I", "absolutely", "love", "this", "tech", "talk", "but"])
        let methods = try #require(text["methods"] as? [[String: Any]])
        #expect(methods.map { $0["method"] as? String } == ["integrated-gradients", "occlusion", "saliency"])
        #expect(methods.allSatisfy { ($0["attributions"] as? [Double])?.count == 7 })
        // The embedding-bag model is linear in the embeddings, so IG is exact.
        #expect(abs(methods[0]["convergenceDelta"] as? Double ?? 1) < 1e-4)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(["absolutely", "love", "tech", "talk", "integrated-gradients", "occlusion"].allSatisfy(html.contains))
        #expect(!html.contains("http://") && !html.contains("https://"))
        let header = try Data(contentsOf: output).prefix(128)
        #expect(String(decoding: header, as: UTF8.self).contains("(3, 1, 24)"))
    }

    @Test func textUncertaintyAndActivationsRun() throws {
        let uncertainty = try CommandRunner.run([
            "uncertainty", "--model", Self.textModel.path, "--text", Self.lectureSentence, "--samples", "16",
        ])
        #expect(uncertainty.status == 0, "\(uncertainty.standardError)")
        #expect(uncertainty.standardOutput.contains("epistemic") && uncertainty.standardOutput.contains("16 passes"))
        let activations = try CommandRunner.run([
            "activations", "--model", Self.textModel.path, "--text", Self.lectureSentence, "--layer", "embedding",
            "--units", "0,3",
        ])
        #expect(activations.status == 0, "\(activations.standardError)")
        #expect(activations.standardOutput.contains("unit 3") && activations.standardOutput.contains("absolutely"))
    }

    @Test func longTextsAreTruncatedWithANotice() throws {
        let long = Array(repeating: "delayed", count: 40).joined(separator: " ")
        let result = try CommandRunner.run(["predict", "--model", Self.textModel.path, "--text", long])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("40 tokens; the model reads the first 24"))
    }

    @Test func badTextInputsEndInOneLine() throws {
        try expectCleanFailure(["predict", "--model", Self.textModel.path, "--text", ""], mentioning: "empty")
        try expectCleanFailure(["predict", "--model", model.path, "--text", "hello"], mentioning: "not a text model")
        try expectCleanFailure(
            ["predict", "--model", Self.textModel.path, "--text-file", "/nonexistent/texts.txt"],
            mentioning: "/nonexistent/texts.txt")
        let onnx = Self.textFixtures.appendingPathComponent("text_cnn.onnx").path
        try expectCleanFailure(["predict", "--model", onnx, "--text", "hello"], mentioning: "--vocab")
        try expectCleanFailure(
            ["predict", "--model", onnx, "--text", "hello", "--vocab", "/nonexistent/vocab.txt"],
            mentioning: "/nonexistent/vocab.txt")
        try expectCleanFailure(
            [
                "explain", "--model", Self.textModel.path, "--text", "hello", "--method", "grad-cam", "--report",
                "r.html",
            ],
            mentioning: "grad-cam")
        try expectCleanFailure(
            ["activations", "--model", Self.textModel.path, "--text", "hello", "--layer", "logits"],
            mentioning: "--layer logits")
    }

    @Test func anONNXTextCNNReadsTextThroughItsVocabulary() throws {
        let folder = Self.workspace.appendingPathComponent("onnx-text")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let report = folder.appendingPathComponent("r.html")
        let result = try CommandRunner.run([
            "explain", "--model", Self.textFixtures.appendingPathComponent("text_cnn.onnx").path, "--vocab",
            Self.textFixtures.appendingPathComponent("vocab.txt").path, "--no-placeholders", "--text",
            Self.lectureSentence, "--method", "integrated-gradients,occlusion", "--report", report.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("y=class 2"))
        let ids = try CommandRunner.run([
            "predict", "--model", Self.textFixtures.appendingPathComponent("text_cnn.onnx").path, "--input",
            Self.textFixtures.appendingPathComponent("inputs.npy").path,
        ])
        #expect(ids.status == 0, "\(ids.standardError)")
        #expect(ids.standardOutput.split(separator: "\n").filter { $0.hasPrefix("sample ") }.count == 6)
    }
}

extension CLITests {
    @Test func tokenIdsOutsideTheVocabularyAreRejected() throws {
        let ids = Self.workspace.appendingPathComponent("bad-ids.npy")
        try Self.npy(shape: [24], values: [2, 5, 99_999] + Array(repeating: 0, count: 21)).write(to: ids)
        try expectCleanFailure(
            ["predict", "--model", Self.textModel.path, "--input", ids.path], mentioning: "not a token id")
    }
}
