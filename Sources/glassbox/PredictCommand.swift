import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN

/// `glassbox predict`: the model's raw outputs for an input, and its top classes.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Run a model on an input (.npy, image or text) and show its top classes.")

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var inputOptions: ImageInputOptions

    @OptionGroup var textOptions: TextInputOptions

    @Option(help: "How many of the most probable classes to show per sample.")
    var top: Int = 3

    @OptionGroup var labelOptions: LabelOptions

    @Option(help: "Write the raw outputs (e.g. logits) to this .npy file.")
    var output: String?

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be positive") }
        try CommandInputs.validate(image: inputOptions, text: textOptions)
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        let inputs = try CommandInputs.load(
            modelOptions.source, image: inputOptions, text: textOptions, backend: backend)
        let (graph, batch) = (inputs.graph, inputs.batch)
        let names = try inputs.classNames(labelOptions)
        let logits = try graph.predict(batch)
        if let output {
            try NumpyArray(shape: logits.shape, values: try logits.toArray()).write(to: URL(fileURLWithPath: output))
        }
        guard logits.shape.rank == 2 else {
            print("output shape \(logits.shape)")
            return
        }
        let probabilities = try graph.probabilities(from: logits).toArray()
        let classes = logits.shape[1]
        for sample in 0..<logits.shape[0] {
            let row = Array(probabilities[(sample * classes)..<((sample + 1) * classes)])
            let ranked = row.indices.sorted { row[$0] > row[$1] }.prefix(top)
            let text = ranked.map { "class \(names.describe($0)): \(String(format: "%.4f", row[$0]))" }
            let label = inputs.text.map { "text \(sample) \"\($0.texts[sample])\"\n  " } ?? "sample \(sample)  "
            print(label + text.joined(separator: "  "))
        }
    }
}
