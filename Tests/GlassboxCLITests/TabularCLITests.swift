import Foundation
import Testing

/// Tables end to end: an MLP trained on the built-in breast-cancer table takes raw feature rows
/// from a `.npy` array or a CSV file whose columns it finds by name.
extension CLITests {
    /// The model and what `train` printed, trained once for the tabular tests.
    static let tabularTraining: (model: URL, output: String) = {
        let model = workspace.appendingPathComponent("breast-cancer.glassbox")
        let result = try! CommandRunner.run([
            "train", "--dataset", "breast-cancer", "--arch", "mlp", "--epochs", "15", "--output", model.path,
        ])
        precondition(result.status == 0, "training the tabular model failed: \(result.standardError)")
        return (model, result.standardOutput)
    }()

    /// The built-in table's header and rows, read straight from the source tree (independent of
    /// GlassboxIO): the file holds plain numbers without quotes.
    static let breastCancer: (header: [String], rows: [[String]]) = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/GlassboxIO/Data/breast-cancer.csv")
        let lines = try! String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",").map(String.init)
        }
        return (lines[0], Array(lines.dropFirst()))
    }()

    /// The 30 feature values of data-set row `index`.
    static func features(_ index: Int) -> [Float] { breastCancer.rows[index].prefix(30).map { Float($0)! } }

    @Test func anMLPTrainsOnTheBreastCancerTable() throws {
        let (model, output) = Self.tabularTraining
        #expect(output.contains("456 train / 113 test samples"), "\(output)")
        // The last line reads "test accuracy 0.9735; saved …".
        let last = try #require(output.split(separator: "\n").last { $0.hasPrefix("test accuracy ") })
        let accuracy = try #require(Double(last.dropFirst("test accuracy ".count).prefix { $0 != ";" }))
        #expect(accuracy > 0.93, "\(last)")
        let info = try CommandRunner.run(["info", model.path])
        #expect(info.status == 0, "\(info.standardError)")
        #expect(
            info.standardOutput.contains("feature-names") && info.standardOutput.contains("worst fractal dimension"))
        #expect(info.standardOutput.contains("standardize.center") && info.standardOutput.contains("(30)"))
    }

    /// Rows 0 and 19 of the table (malignant and benign, far from the boundary) as a `.npy` batch
    /// in raw units: the model names the classes and gets both right.
    @Test func rawFeatureRowsFromNpyArePredictedWithClassNames() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let rows = folder.appendingPathComponent("rows.npy")
        try Self.npy(shape: [2, 30], values: Self.features(0) + Self.features(19)).write(to: rows)
        #expect(Self.breastCancer.rows[0][30] == "0" && Self.breastCancer.rows[19][30] == "1")
        let result = try CommandRunner.run([
            "predict", "--model", Self.tabularTraining.model.path, "--input", rows.path, "--top", "1",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("sample ") }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("class 0 malignant") == true && lines.last?.contains("class 1 benign") == true)
    }

    /// A CSV with the features in another order, an id and a text column gives the logits of the
    /// same rows as a `.npy` array.
    @Test func csvColumnsAreFoundByName() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let names = Array(Self.breastCancer.header.prefix(30))
        let order = Array(names.indices.reversed())
        var csv = "id,diagnosis," + order.map { "\"\(names[$0])\"" }.joined(separator: ",") + "\r\n"
        for (index, row) in [3, 19, 42].enumerated() {
            csv += "\(index),\"x, y\"," + order.map { Self.breastCancer.rows[row][$0] }.joined(separator: ",") + "\r\n"
        }
        let table = folder.appendingPathComponent("rows.csv"), array = folder.appendingPathComponent("rows.npy")
        try Data(csv.utf8).write(to: table)
        try Self.npy(shape: [3, 30], values: [3, 19, 42].flatMap(Self.features)).write(to: array)
        var logits: [[Float]] = []
        for input in [table, array] {
            let output = folder.appendingPathComponent("logits-\(input.pathExtension).npy")
            let result = try CommandRunner.run([
                "predict", "--model", Self.tabularTraining.model.path, "--input", input.path, "--output", output.path,
            ])
            #expect(result.status == 0, "\(result.standardError)")
            logits.append(Self.floats(ofNpy: try Data(contentsOf: output)))
        }
        #expect(logits[0].count == 6 && logits[0] == logits[1])
    }

    @Test func badTablesAndShapesFailInOneLine() throws {
        let folder = try CommandRunner.temporaryDirectory()
        let model = Self.tabularTraining.model.path
        let names = Array(Self.breastCancer.header.prefix(30))
        let missing = folder.appendingPathComponent("missing.csv")
        try Data(
            (names.dropLast().joined(separator: ",") + "\n"
                + Self.breastCancer.rows[0].prefix(29).joined(separator: ",") + "\n").utf8
        ).write(to: missing)
        try expectCleanFailure(
            ["predict", "--model", model, "--input", missing.path], mentioning: "no column 'worst fractal dimension'")
        let word = folder.appendingPathComponent("word.csv")
        var rows = [names.joined(separator: ","), Self.breastCancer.rows[0].prefix(30).joined(separator: ",")]
        rows.append((["abc"] + Self.breastCancer.rows[1][1..<30]).joined(separator: ","))
        try Data(rows.joined(separator: "\n").utf8).write(to: word)
        try expectCleanFailure(
            ["predict", "--model", model, "--input", word.path],
            mentioning: "line 3, column 'mean radius': 'abc' is not a number")
        let narrow = folder.appendingPathComponent("narrow.npy")
        try Self.npy(shape: [1, 29], values: Array(Self.features(0).prefix(29))).write(to: narrow)
        try expectCleanFailure(["predict", "--model", model, "--input", narrow.path], mentioning: "narrow.npy")
        try expectCleanFailure(
            [
                "train", "--dataset", "breast-cancer", "--arch", "small-cnn", "--epochs", "1", "--output",
                folder.appendingPathComponent("m.glassbox").path,
            ],
            mentioning: "small-cnn takes images")
    }
}
