import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO

/// `glassbox export-sample`: writes samples of a built-in dataset as `.npy`, or a table's rows as CSV.
struct ExportSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-sample",
        abstract: "Write samples of a built-in dataset as a .npy input (or, for breast-cancer, a .csv table).")

    /// The split samples are taken from.
    enum Split: String, ExpressibleByArgument, CaseIterable {
        case train, test
    }

    @Option(help: "The dataset: digits, breast-cancer.")
    var dataset: DatasetChoice = .digits

    @Option(help: "The split: test or train (e.g. training rows for lime --train or kernel-shap --background).")
    var split: Split = .test

    @Option(parsing: .upToNextOption, help: "Indices into the split; several give a batch (N,…).")
    var index: [Int] = [0]

    @Flag(help: "Every sample of the split instead of --index.")
    var all = false

    @Option(help: "Where to write: a .npy file, or for breast-cancer a .csv with a header row of the feature names.")
    var output: String

    func run() throws {
        let (training, testing) = try dataset.load()
        let samples = split == .train ? training : testing
        let indices = all ? Array(0..<samples.count) : index
        for value in indices where !(0..<samples.count).contains(value) {
            throw ValidationError("--index \(value) is not in 0..<\(samples.count)")
        }
        let (batch, labels) = try samples.batch(indices, on: CPUBackend.shared)
        let url = URL(fileURLWithPath: output)
        let shape = indices.count == 1 && !all ? batch.shape.sampleShape : batch.shape
        if url.pathExtension.lowercased() == "csv" {
            guard let names = try dataset.featureNames else {
                throw ValidationError("\(dataset.rawValue) samples are images; write a .npy")
            }
            try NumericTable(columnNames: names, values: try batch.toArray(), path: output).write(to: url)
        } else {
            try NumpyArray(shape: shape, values: try batch.toArray()).write(to: url)
        }
        let shown = labels.count <= 10 ? labels.map(String.init).joined(separator: " ") : "\(labels.count) labels"
        print("wrote \(output) \(shape), label\(labels.count == 1 ? "" : "s") \(shown)")
    }
}
