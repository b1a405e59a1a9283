import Foundation
import Testing

/// The perturbation methods from the command line: LIME, KernelSHAP and Shapley values on images
/// (superpixels outlined in the panel), tables (a contribution chart, quartile bins from `--train`)
/// and texts (the report's `<BIAS>` row); RISE and Score-CAM maps; and their bad arguments.
extension CLITests {
    /// A photo of scikit-image's data (public domain) from the superpixel fixtures.
    static let photo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GlassboxIOTests/Fixtures/superpixels/astronaut.png")

    /// The ONNX CNN of the Captum fixtures (3×16×16 inputs, 5 classes, layer conv3).
    static var tinyCNN: URL { explainFixtures.appendingPathComponent("tiny_cnn.onnx") }

    /// The JSON object in `url`.
    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
    }

    @Test func limeOnAPhotoOutlinesSuperpixelsAndSummarisesEveryNumber() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let (panel, summary, output) = (
            folder.appendingPathComponent("p.png"), folder.appendingPathComponent("s.json"),
            folder.appendingPathComponent("a.npy")
        )
        let result = try CommandRunner.run([
            "explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", "lime", "--segmenter",
            "slic:12:10:1", "--samples", "300", "--panel", panel.path, "--summary", summary.path, "--output",
            output.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("weighted R²") && result.standardOutput.contains("superpixel "))
        let row = try #require((try Self.json(summary)["rows"] as? [[String: Any]])?.first)
        let features = try #require(row["features"] as? [String: Any])
        let values = try #require(features["values"] as? [Double])
        #expect(values.count > 3 && (features["features"] as? [String])?.count == values.count)
        #expect(features["score"] is Double && features["localPrediction"] is Double)
        let map = Self.floats(ofNpy: try Data(contentsOf: output))
        #expect(map.count == 3 * 16 * 16)
        #expect(Set(map.map { Double($0) }).isSubset(of: Set(values.map { Double(Float($0)) } + [0])))
        #expect(FileManager.default.fileExists(atPath: panel.path))
    }

    @Test func severalMethodsOnAnImageGoSideBySide() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let (panel, summary, output) = (
            folder.appendingPathComponent("p.png"), folder.appendingPathComponent("s.json"),
            folder.appendingPathComponent("a.npy")
        )
        let result = try CommandRunner.run([
            "explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", "lime,saliency",
            "--segmenter", "grid:4x4", "--samples", "100", "--panel", panel.path, "--summary", summary.path,
            "--output", output.path, "--heatmap", folder.appendingPathComponent("h.png").path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let header = String(decoding: try Data(contentsOf: output).prefix(128), as: UTF8.self)
        #expect(header.contains("(2, 1, 3, 16, 16)"), "\(header)")
        let reports = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: summary)) as? [[String: Any]])
        #expect(reports.map { $0["method"] as? String } == ["lime", "saliency"])
        for method in ["lime", "saliency"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("h-\(method).png").path))
        }
        #expect(FileManager.default.fileExists(atPath: panel.path))
    }

    @Test func shapleyMethodsOnAnImageAddUpToThePrediction() throws {
        let folder = try CommandRunner.temporaryDirectory()
        for method in ["kernel-shap", "shapley-exact", "shapley-sampling"] {
            let summary = folder.appendingPathComponent("\(method).json")
            let result = try CommandRunner.run([
                "explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", method, "--segmenter",
                "grid:3x3", "--hide", "value:0", "--samples", "20", "--summary", summary.path,
            ])
            #expect(result.status == 0, "\(method): \(result.standardError)")
            let row = try #require((try Self.json(summary)["rows"] as? [[String: Any]])?.first)
            let features = try #require(row["features"] as? [String: Any])
            let values = try #require(features["values"] as? [Double])
            let (prediction, base) = (
                features["prediction"] as? Double ?? .nan, features["baseValue"] as? Double ?? .nan
            )
            #expect(values.count == 9)
            #expect(abs(values.reduce(0, +) - (prediction - base)) < 1e-3, "\(method)")
        }
    }

    @Test func riseAndScoreCAMDrawMaps() throws {
        let folder = try CommandRunner.temporaryDirectory()
        for (method, extra, shape) in [
            ("rise", ["--samples", "64", "--cells", "4"], "(1, 1, 16, 16)"),
            ("score-cam", ["--layer", "/conv3/Conv_output_0"], "(1, 1, 8, 8)"),
            ("score-cam", ["--upsample"], "(1, 1, 16, 16)"),
        ] {
            let output = folder.appendingPathComponent("\(method).npy"), panel = folder.appendingPathComponent("p.png")
            let result = try CommandRunner.run(
                ["explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", method]
                    + extra + ["--output", output.path, "--panel", panel.path])
            #expect(result.status == 0, "\(method): \(result.standardError)")
            let header = String(decoding: try Data(contentsOf: output).prefix(128), as: UTF8.self)
            #expect(header.contains(shape), "\(method): \(header)")
            #expect(Self.floats(ofNpy: try Data(contentsOf: output)).allSatisfy { $0.isFinite && $0 >= 0 })
        }
    }

    @Test func tableRowsAreExplainedByQuartileBinsAndShapleyValues() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let (train, rows, background) = (
            folder.appendingPathComponent("train.csv"), folder.appendingPathComponent("rows.csv"),
            folder.appendingPathComponent("bg.csv")
        )
        for (arguments, url) in [
            (["--split", "train", "--all"], train), (["--index", "0", "1"], rows),
            (["--split", "train", "--index", "0", "1", "2", "3"], background),
        ] {
            let result = try CommandRunner.run(
                ["export-sample", "--dataset", "breast-cancer", "--output", url.path] + arguments)
            #expect(result.status == 0, "\(result.standardError)")
        }
        #expect(try String(contentsOf: train, encoding: .utf8).split(separator: "\n").count == 457)
        let model = Self.tabularTraining.model.path
        let chart = folder.appendingPathComponent("chart.png"), summary = folder.appendingPathComponent("lime.json")
        let lime = try CommandRunner.run([
            "explain", "--model", model, "--input", rows.path, "--method", "lime", "--train", train.path, "--chart",
            chart.path, "--summary", summary.path, "--features", "6", "--pick", "1",
        ])
        #expect(lime.status == 0, "\(lime.standardError)")
        #expect(
            lime.standardOutput.contains("malignant")
                && (lime.standardOutput.contains(" <= ") || lime.standardOutput.contains(" > ")))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("chart-1.png").path))
        #expect(lime.standardOutput.contains("submodular pick (SP-LIME) of 1 among 2: inputs "))
        let pick = try #require(try Self.json(summary)["submodularPick"] as? [String: Any])
        #expect((pick["inputs"] as? [Int])?.count == 1 && (pick["coverage"] as? Double ?? 0) > 0)
        let labels = try #require(
            ((try Self.json(summary)["rows"] as? [[String: Any]])?.first?["features"] as? [String: Any])?["features"]
                as? [String])
        #expect(labels.count == 30 && labels.allSatisfy { $0.contains("<") || $0.contains(">") })
        let shap = try CommandRunner.run([
            "explain", "--model", model, "--input", rows.path, "--method", "kernel-shap", "--background",
            background.path, "--summary", summary.path,
        ])
        #expect(shap.status == 0, "\(shap.standardError)")
        #expect(shap.standardOutput.contains("mean radius = ") || shap.standardOutput.contains(" = "))
        try expectCleanFailure(
            ["explain", "--model", model, "--input", rows.path, "--method", "lime", "--summary", summary.path],
            mentioning: "--train")
        try expectCleanFailure(
            [
                "explain", "--model", model, "--input", rows.path, "--method", "shapley-exact", "--background",
                background.path, "--summary", summary.path,
            ], mentioning: "20")
        let narrow = folder.appendingPathComponent("narrow.csv")
        try "mean radius,mean texture\n1,2\n".write(to: narrow, atomically: true, encoding: .utf8)
        try expectCleanFailure(
            [
                "explain", "--model", model, "--input", rows.path, "--method", "kernel-shap", "--background",
                narrow.path, "--summary", summary.path,
            ], mentioning: "narrow.csv")
    }

    @Test func wordsAreExplainedByLimeWithItsBias() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let report = folder.appendingPathComponent("r.html"), summary = folder.appendingPathComponent("s.json")
        let result = try CommandRunner.run([
            "explain", "--model", Self.textModel.path, "--text", Self.lectureSentence, "--method",
            "lime,kernel-shap", "--samples", "500", "--report", report.path, "--summary", summary.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("lime: ") && result.standardOutput.contains("kernel-shap: "))
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("&lt;BIAS&gt;") && html.contains("lime"))
        try expectCleanFailure(
            [
                "explain", "--model", Self.textModel.path, "--text", Self.lectureSentence, "--method", "rise",
                "--report", report.path,
            ], mentioning: "rise")
    }

    @Test func badSegmentationsEndInOneLine() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let segments = folder.appendingPathComponent("seg.npy"), output = folder.appendingPathComponent("a.npy")
        try Self.npy(shape: [5, 5], values: Array(repeating: 0, count: 25)).write(to: segments)
        try expectCleanFailure(
            [
                "explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", "lime", "--segments",
                segments.path, "--output", output.path,
            ], mentioning: "seg.npy")
        try expectCleanFailure(
            [
                "explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", "lime", "--segmenter",
                "watershed", "--output", output.path,
            ], mentioning: "--segmenter")
        try expectCleanFailure(
            [
                "explain", "--model", Self.tinyCNN.path, "--input", Self.photo.path, "--method", "lime", "--hide",
                "blur:-1", "--output", output.path,
            ], mentioning: "--hide")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
