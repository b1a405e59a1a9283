import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO

/// `glassbox export-sample`: writes a sample of a built-in dataset as `.npy`.
struct ExportSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-sample", abstract: "Write samples of a built-in dataset's test split as a .npy input.")

    @Option(help: "The dataset: digits.")
    var dataset: DatasetChoice = .digits

    @Option(parsing: .upToNextOption, help: "Indices into the test split; several give a batch (N,C,H,W).")
    var index: [Int] = [0]

    @Option(help: "Where to write the .npy file.")
    var output: String

    func run() throws {
        let (_, testing) = try dataset.load()
        for value in index where !(0..<testing.count).contains(value) {
            throw ValidationError("--index \(value) is not in 0..<\(testing.count)")
        }
        let (batch, labels) = try testing.batch(index, on: CPUBackend.shared)
        let shape = index.count == 1 ? batch.shape.sampleShape : batch.shape
        try NumpyArray(shape: shape, values: try batch.toArray()).write(to: URL(fileURLWithPath: output))
        print(
            "wrote \(output) \(shape), label\(labels.count == 1 ? "" : "s") \(labels.map(String.init).joined(separator: " "))"
        )
    }
}
