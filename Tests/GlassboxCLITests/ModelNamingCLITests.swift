import Foundation
import Testing

/// What a user types to name things: nodes (`--layer`, `--output-node`, `glassbox info`), class
/// names (`--labels`), and how an input meets the model (`--preprocess`, symbolic input
/// dimensions, `--layout`).
extension CLITests {
    static let cliFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    static let onnxFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GlassboxONNXTests/Fixtures")
    static let operatorFixtures = onnxFixtures.appendingPathComponent("operators")

    /// A scratch folder for one test.
    static func folder(_ name: String) throws -> URL {
        let folder = workspace.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `arguments` and expects success.
    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> CommandRunner
        .Result
    {
        let result = try CommandRunner.run(arguments + (arguments.first == "info" ? [] : ["--device", "cpu"]))
        #expect(result.status == 0, "\(arguments): \(result.standardError)", sourceLocation: sourceLocation)
        return result
    }

    /// The values `glassbox predict --output` writes for `arguments`.
    func predicted(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [Float] {
        let output = Self.workspace.appendingPathComponent("predicted-\(UUID().uuidString).npy")
        try succeed(["predict"] + arguments + ["--output", output.path], sourceLocation: sourceLocation)
        return Self.floats(ofNpy: try Data(contentsOf: output))
    }

    /// Whether `actual` equals `expected` within `tolerance` of the largest |expected|.
    static func close(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4) -> Bool {
        let scale = max(expected.map(abs).max() ?? 1, 1e-6)
        return actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= tolerance * scale }
    }

    /// A 24-bit BMP of `pixels` (rows of RGB triples, top row first), written by hand.
    static func bmp(_ pixels: [[[UInt8]]]) -> Data {
        let height = pixels.count, width = pixels[0].count
        let rowBytes = (width * 3 + 3) / 4 * 4
        var data = Data("BM".utf8)
        func append(_ value: Int, bytes: Int) {
            for byte in 0..<bytes { data.append(UInt8((value >> (8 * byte)) & 0xFF)) }
        }
        append(54 + rowBytes * height, bytes: 4)
        append(0, bytes: 4)
        append(54, bytes: 4)
        append(40, bytes: 4)
        append(width, bytes: 4)
        append(height, bytes: 4)
        append(1, bytes: 2)
        append(24, bytes: 2)
        append(0, bytes: 4)
        append(rowBytes * height, bytes: 4)
        append(2835, bytes: 4)
        append(2835, bytes: 4)
        append(0, bytes: 8)
        for row in pixels.reversed() {
            for pixel in row { data += [pixel[2], pixel[1], pixel[0]] }
            data += [UInt8](repeating: 0, count: rowBytes - width * 3)
        }
        return data
    }

    /// A 4×2 RGB image: (255, 0, 0) is pure red.
    static let tinyImagePixels: [[[UInt8]]] = [
        [[0, 0, 0], [255, 255, 255], [51, 102, 153], [10, 20, 30]],
        [[255, 0, 0], [0, 255, 0], [0, 0, 255], [128, 128, 128]],
    ]

    /// The 4×2 test image as a BMP file in the workspace.
    static func tinyImage() throws -> String {
        let url = workspace.appendingPathComponent("tiny.bmp")
        try bmp(tinyImagePixels).write(to: url)
        return url.path
    }

    /// The width and height a PNG file declares.
    static func pngSize(_ url: URL) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](try Data(contentsOf: url))
        func integer(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (integer(16), integer(20))
    }

    // MARK: Node names

    @Test func layersAreNamedByNodeNameSourceNameOrSuffix() throws {
        let folder = try Self.folder("layer-names")
        var maps = [[Float]]()
        for layer in ["/conv2/Conv_output_0", "/conv2/Conv", "conv2/Conv", "2/Conv"] {
            let output = folder.appendingPathComponent("\(maps.count).npy")
            try succeed([
                "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "grad-cam", "--layer", layer,
                "--output", output.path,
            ])
            maps.append(Self.floats(ofNpy: try Data(contentsOf: output)))
        }
        #expect(maps.allSatisfy { $0 == maps[0] })
        #expect(!maps[0].isEmpty)
    }

    @Test func aWrongLayerIsOneLineAboutTheArgument() throws {
        let output = Self.workspace.appendingPathComponent("never.npy").path
        let explain = [
            "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "grad-cam", "--output", output,
            "--layer",
        ]
        try expectCleanFailure(explain + ["Conv"], mentioning: "'Conv' matches 2 nodes")
        try expectCleanFailure(explain + ["Conv"], mentioning: "/conv1/Conv_output_0 (/conv1/Conv)")
        try expectCleanFailure(explain + ["Conv"], mentioning: "/conv2/Conv_output_0 (/conv2/Conv)")
        try expectCleanFailure(explain + ["nope"], mentioning: "--layer: the model has no node named 'nope'")
        try expectCleanFailure(explain + ["nope"], mentioning: "glassbox info MODEL")
        try expectCleanFailure(explain + ["fc1/Gemm"], mentioning: "N×C×h×w")
        try expectCleanFailure(
            ["explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "cam", "--output", output]
                + ["--layer", "relu1/Relu"],
            mentioning: "global average pooling")
        for layer in ["Conv", "nope", "fc1/Gemm"] {
            let result = try CommandRunner.run(explain + [layer])
            #expect(!result.standardError.contains("invalid model"), "\(result.standardError)")
        }
    }

    @Test func infoShowsSourceNamesOutputsAndTheDeclaredInput() throws {
        let digits = try succeed(["info", digitsCNN]).standardOutput
        #expect(digits.contains("declared [N, 1, 8, 8]"))
        #expect(digits.contains("source"))
        #expect(
            digits.split(separator: "\n").contains {
                $0.hasPrefix("/conv2/Conv_output_0") && $0.contains(" /conv2/Conv ")
            })
        #expect(digits.contains("outputs: logits"))

        let twoOutputs = Self.operatorFixtures.appendingPathComponent("two_outputs_scores_boxes.onnx").path
        #expect(try succeed(["info", twoOutputs]).standardOutput.contains("outputs: scores, boxes"))
        #expect(try succeed(["info", twoOutputs, "--output-node", "boxes"]).standardOutput.contains("output  boxes"))

        let symbolic = Self.operatorFixtures.appendingPathComponent("symbolic_spatial_fcn.onnx").path
        try expectCleanFailure(["info", symbolic], mentioning: "--input-shape")
        let resolved = try succeed(["info", symbolic, "--input-shape", "3,9,11"]).standardOutput
        #expect(resolved.contains("input   input (3×9×11)  declared [N, 3, H, W]"))

        let keras = Self.onnxFixtures.appendingPathComponent("keras_nhwc.onnx").path
        #expect(try succeed(["info", keras]).standardOutput.contains("layout  NHWC"))

        let textCNN = Self.operatorFixtures.appendingPathComponent("text_cnn_max_over_time.onnx").path
        let ids = try succeed(["info", textCNN]).standardOutput
        #expect(ids.contains("input   input (8)  declared int64 [N, 8]"))
        #expect(ids.contains(" embedding "), "the Gather of the table by the ids is an embedding node")

        let native = try succeed(["info", model.path]).standardOutput
        #expect(native.contains("source"))
        #expect(!native.contains("declared"))
    }

    // MARK: Outputs

    @Test func outputNodeChoosesAmongTheDeclaredOutputs() throws {
        let model = Self.operatorFixtures.appendingPathComponent("two_outputs_scores_boxes.onnx").path
        let input = Self.operatorFixtures.appendingPathComponent("two_outputs_scores_boxes.input.npy").path
        func expected(_ file: String) throws -> [Float] {
            Self.floats(ofNpy: try Data(contentsOf: Self.operatorFixtures.appendingPathComponent(file)))
        }
        let scores = try predicted(["--model", model, "--input", input])
        #expect(Self.close(scores, try expected("two_outputs_scores_boxes.output.npy")))
        let boxes = try predicted(["--model", model, "--input", input, "--output-node", "boxes"])
        #expect(Self.close(boxes, try expected("two_outputs_scores_boxes.output1.npy")))
        #expect(boxes.count == 2 * 64)
        try expectCleanFailure(
            ["predict", "--model", model, "--input", input, "--output-node", "nope"], mentioning: "'nope'")

        // A native model computes any node it is asked for.
        let sample = Self.workspace.appendingPathComponent("output-node-sample.npy")
        #expect(try CommandRunner.run(["export-sample", "--index", "0", "--output", sample.path]).status == 0)
        let logits = try predicted(["--model", self.model.path, "--input", sample.path])
        #expect(
            try predicted(["--model", self.model.path, "--input", sample.path, "--output-node", "logits"]) == logits)
        try expectCleanFailure(
            ["predict", "--model", self.model.path, "--input", sample.path, "--output-node", "nope"],
            mentioning: "--output-node: the model has no node named 'nope'")
    }

    // MARK: Labels

    @Test func labelsNameTheClassesThatPredictExplainAndUncertaintyPrint() throws {
        let folder = try Self.folder("labels")
        let names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        let text = folder.appendingPathComponent("digits.txt"), json = folder.appendingPathComponent("digits.json")
        try Data((names.joined(separator: "\n") + "\n").utf8).write(to: text)
        try JSONSerialization.data(withJSONObject: names).write(to: json)
        for labels in [text, json] {
            let output = try succeed([
                "predict", "--model", digitsCNN, "--input", digitsInputs, "--labels", labels.path, "--top", "3",
            ]).standardOutput
            let classes = output.split(separator: " class ").dropFirst()
            #expect(classes.count == 4 * 3, "\(output)")
            for entry in classes {
                let words = entry.split(separator: " ")
                let index = try #require(Int(words[0]))
                #expect(words[1] == "\(names[index]):", "\(entry)")
            }
        }
        let summary = folder.appendingPathComponent("summary.json"), panel = folder.appendingPathComponent("panel.png")
        let explain = try succeed([
            "explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "saliency", "--target", "7",
            "--labels", text.path, "--summary", summary.path, "--panel", panel.path,
        ]).standardOutput
        #expect(explain.contains("input 0  target 7 seven (p = "))
        let rows = (try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any])?["rows"]
        #expect((rows as? [[String: Any]])?.map { $0["label"] as? String } == Array(repeating: "seven", count: 4))
        #expect(try Data(contentsOf: panel).starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let uncertainty = try succeed([
            "uncertainty", "--model", digitsCNN, "--input", digitsInputs, "--method", "deterministic",
            "--labels", json.path,
        ]).standardOutput
        let lines = uncertainty.split(separator: "\n").filter { $0.hasPrefix("input ") }
        #expect(lines.count == 4, "\(uncertainty)")
        for line in lines {
            let words = line.split(separator: " ")  // input i class k name p = …
            let index = try #require(Int(words[3]))
            #expect(words[4] == names[index], "\(line)")
        }
    }

    @Test func aBadLabelsFileIsOneLineNamingIt() throws {
        let folder = try Self.folder("bad-labels")
        let predict = ["predict", "--model", digitsCNN, "--input", digitsInputs, "--labels"]
        let missing = folder.appendingPathComponent("missing.txt").path
        try expectCleanFailure(predict + [missing], mentioning: "\(missing): no such file")
        let empty = folder.appendingPathComponent("empty.txt")
        try Data("\n\n".utf8).write(to: empty)
        try expectCleanFailure(predict + [empty.path], mentioning: "\(empty.path): holds no class names")
        let few = folder.appendingPathComponent("few.json")
        try Data(#"["zero", "one", "two"]"#.utf8).write(to: few)
        try expectCleanFailure(
            predict + [few.path], mentioning: "\(few.path): has 3 class names, the model has 10 classes")
        try expectCleanFailure(
            ["explain", "--model", digitsCNN, "--input", digitsInputs, "--method", "saliency", "--output"]
                + [folder.appendingPathComponent("never.npy").path, "--labels", few.path],
            mentioning: few.path)
    }

    // MARK: Preprocessing

    @Test func preprocessImagenetGivesTorchvisionsNumbers() throws {
        let image = try Self.tinyImage()
        let probe = Self.cliFixtures.appendingPathComponent("probe_nchw_2x2.onnx").path
        let values = try predicted(["--model", probe, "--input", image, "--preprocess", "imagenet"])
        // The 2×4 image's shorter side is resized to round(2·256/224) = 2 (no change), and the centre 2×2
        // kept: columns 1 and 2, from round((4 − 2) / 2) = 1. Each value is (v/255 − mean) / std per channel:
        // red   mean 0.485 std 0.229: 255 → 0.515/0.229, 51 → −0.285/0.229, 0 → −0.485/0.229
        // green mean 0.456 std 0.224: 255 → 0.544/0.224, 102 → −0.056/0.224, 0 → −0.456/0.224
        // blue  mean 0.406 std 0.225: 255 → 0.594/0.225, 153 → 0.194/0.225, 0 → −0.406/0.225
        let expected: [Float] = [
            2.2489083, -1.2445415, -2.1179039, -2.1179039,  // red of (255,255,255), (51,102,153), (0,255,0), (0,0,255)
            2.4285714, -0.25, 2.4285714, -2.0357143,  // green
            2.64, 0.8622222, -1.8044444, 2.64,  // blue
        ]
        #expect(Self.close(values, expected, tolerance: 1e-5), "\(values)")

        // On a model whose H×W are symbolic, the recipe's own 224×224 crop sets the input size.
        let symbolic = Self.cliFixtures.appendingPathComponent("probe_nchw_symbolic.onnx").path
        #expect(
            try predicted(["--model", symbolic, "--input", image, "--preprocess", "imagenet"]).count == 3 * 224 * 224)

        let conflict = try CommandRunner.run([
            "predict", "--model", probe, "--input", image, "--preprocess", "imagenet", "--mean", "0.5,0.5,0.5",
        ])
        #expect(conflict.status != 0)
        #expect(!conflict.terminatedBySignal)
        #expect(conflict.standardError.contains("--preprocess imagenet sets the mean and standard deviation itself"))
        try expectCleanFailure(
            ["predict", "--model", digitsCNN, "--input", image, "--preprocess", "imagenet"],
            mentioning: "3 input channels")
    }

    // MARK: Symbolic input dimensions

    @Test func symbolicInputDimensionsComeFromTheInput() throws {
        let model = Self.operatorFixtures.appendingPathComponent("symbolic_spatial_fcn.onnx").path
        for size in ["", ".size2"] {
            let input = Self.operatorFixtures.appendingPathComponent("symbolic_spatial_fcn\(size).input.npy").path
            let expected = Self.floats(
                ofNpy: try Data(
                    contentsOf: Self.operatorFixtures.appendingPathComponent("symbolic_spatial_fcn\(size).output.npy")))
            #expect(Self.close(try predicted(["--model", model, "--input", input]), expected), "\(size)")
        }
        // An image fills H×W with its own size: the probe passes the pixels through, channels first.
        let probe = Self.cliFixtures.appendingPathComponent("probe_nchw_symbolic.onnx").path
        let pixels = try predicted(["--model", probe, "--input", try Self.tinyImage()])
        #expect(pixels == Self.channelsFirstPixels)
        #expect(
            try predicted(["--model", model, "--input", try Self.tinyImage()]).count == 5,
            "a 2×4 image runs the fully convolutional model")
        let wrongRank = Self.workspace.appendingPathComponent("symbolic-wrong-rank.npy")
        try Self.npy(shape: [4, 5], values: Array(repeating: 0, count: 20)).write(to: wrongRank)
        try expectCleanFailure(
            ["predict", "--model", model, "--input", wrongRank.path], mentioning: "declared [N, 3, H, W]")
    }

    /// The tiny image's pixels / 255, channels first.
    static var channelsFirstPixels: [Float] {
        (0..<3).flatMap { channel in tinyImagePixels.flatMap { row in row.map { Float($0[channel]) / 255 } } }
    }

    // MARK: Layout

    @Test func nhwcModelsTakeImagesAndNpyInputsTheirWay() throws {
        // A .npy input is given in the model's layout (2×8×8×3 here).
        let keras = Self.onnxFixtures.appendingPathComponent("keras_nhwc.onnx").path
        let expected = Self.floats(
            ofNpy: try Data(contentsOf: Self.onnxFixtures.appendingPathComponent("keras_nhwc.output.npy")))
        let input = Self.onnxFixtures.appendingPathComponent("keras_nhwc.input.npy").path
        #expect(Self.close(try predicted(["--model", keras, "--input", input]), expected))

        // An image is fed H×W×C: the NHWC probe's own transpose gives back the channels-first pixels.
        let probe = Self.cliFixtures.appendingPathComponent("probe_nhwc_symbolic.onnx").path
        #expect(try predicted(["--model", probe, "--input", try Self.tinyImage()]) == Self.channelsFirstPixels)
        #expect(
            try predicted(["--model", probe, "--input", try Self.tinyImage(), "--layout", "nhwc"])
                == Self.channelsFirstPixels)

        // Heatmaps of an NHWC model are H×W, whatever the method.
        let folder = try Self.folder("nhwc")
        let image = try Self.tinyImage()
        for method in [
            ["saliency"], ["grad-cam", "--upsample"], ["guided-grad-cam"], ["occlusion", "--window", "3,2,2"],
        ] {
            let heatmap = folder.appendingPathComponent("\(method[0]).png")
            try succeed(
                ["explain", "--model", keras, "--input", image, "--heatmap", heatmap.path, "--method"] + method)
            let size = try Self.pngSize(heatmap)
            #expect(size.width == 8 && size.height == 8, "\(method): \(size)")
        }
        try expectCleanFailure(
            ["predict", "--model", digitsCNN, "--input", digitsInputs, "--layout", "nhwc"],
            mentioning: "--layout nhwc needs a model input of H×W×C")
    }
}
