import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN

/// `glassbox activations`: what a layer of a text model computes at each token — the
/// lecture's "investigate activations" (Karpathy, Johnson & Fei-Fei 2016, "Visualizing and
/// understanding recurrent networks"): an LSTM's hidden units or a convolution's channels,
/// printed per token and drawn as the text coloured by each unit.
struct ActivationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract:
            "Show a text model's layer activations token by token (an LSTM's hidden units, a convolution's channels).",
        discussion: """
            The layer's output per text must run along the tokens: T×units (embeddings, LSTM states, transformer \
            layers) or units×1×positions (convolutions over the sequence, position p starting at token p).
            """)

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var textOptions: TextInputOptions

    @Option(help: "The layer whose output is shown: a node's name (see `glassbox info`) or a unique end of it.")
    var layer: String

    @Option(help: "The units (hidden units, channels) to show, e.g. 0,5,17 (default: the --top most active).")
    var units: String?

    @Option(help: "Without --units: show the units with the largest |activation| over the texts' tokens.")
    var top = 8

    @Option(help: "Write every unit's activations per text, N×positions×units, to this .npy file.")
    var output: String?

    @Option(help: "Write the texts coloured by each shown unit's activation to this HTML file.")
    var report: String?

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        guard textOptions.isGiven else { throw ValidationError("give --text or --text-file") }
        guard top > 0 else { throw ValidationError("--top must be positive") }
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        let inputs = try textOptions.load(modelOptions.source, backend: backend)
        let graph = inputs.graph
        let name = try graph.nodeName(matching: layer, option: "--layer")
        let record = try graph.forward(inputs.ids)
        let grid = try TokenActivations(
            try record.activation(name), layer: name, length: inputs.pipeline.sequenceLength)
        let shown = try chosenUnits(grid, inputs: inputs)
        for (index, text) in inputs.texts.enumerated() {
            let words = inputs.reportTokens(index).map(\.text)
            print("text \(index): \(text)")
            print(
                "  " + "token".padding(toLength: 16, withPad: " ", startingAt: 0)
                    + shown.map { "unit \($0)".leftPadded(to: 9) }.joined())
            for position in 0..<min(words.count, grid.positions) {
                let word = String(words[position].prefix(15)).padding(toLength: 16, withPad: " ", startingAt: 0)
                print("  " + word + shown.map { String(format: "%9.3f", grid.value(index, position, $0)) }.joined())
            }
        }
        if let output {
            try NumpyArray(shape: [inputs.texts.count, grid.positions, grid.units], values: grid.values)
                .write(to: URL(fileURLWithPath: output))
        }
        if let report {
            let probabilities = try graph.probabilities(from: record.output).toArray()
            let classes = probabilities.count / inputs.texts.count
            let documents = try inputs.texts.indices.map { index in
                let tokens = Array(inputs.reportTokens(index).prefix(grid.positions))
                let row = Array(probabilities[(index * classes)..<((index + 1) * classes)])
                return try TextAttributionReport.Document(
                    tokens: tokens, classNames: inputs.classNames ?? (0..<classes).map { "class \($0)" },
                    probabilities: row, explainedClass: row.indices.max { row[$0] < row[$1] }!,
                    methods: shown.map { unit in
                        TextAttributionReport.MethodAttribution(
                            name: "\(name) unit \(unit)", values: tokens.indices.map { grid.value(index, $0, unit) })
                    },
                    truncation: try inputs.truncation(index), heading: "text \(index)")
            }
            try TextAttributionReport(
                title: "Activations of \(name): \(URL(fileURLWithPath: modelOptions.model).lastPathComponent)",
                documents: documents, modelName: modelOptions.model,
                commandLine: CommandLine.arguments.joined(separator: " "), valueMeaning: .activation
            ).write(to: URL(fileURLWithPath: report))
        }
    }

    /// `--units`, or the `--top` units with the largest |activation| over the texts' read tokens.
    func chosenUnits(_ grid: TokenActivations, inputs: TextInputs) throws -> [Int] {
        if let units {
            guard let list = CommaSeparated.values(units, as: Int.self), !list.isEmpty,
                list.allSatisfy({ (0..<grid.units).contains($0) })
            else {
                throw GlassboxError.invalidArgument(
                    "--units needs unit numbers below \(grid.units) separated by commas, got '\(units)'")
            }
            return list
        }
        let peaks = (0..<grid.units).map { unit in
            inputs.texts.indices.map { index in
                (0..<min(inputs.readCount(index), grid.positions)).map { abs(grid.value(index, $0, unit)) }.max() ?? 0
            }.max() ?? 0
        }
        return Array(peaks.indices.sorted { peaks[$0] > peaks[$1] }.prefix(top)).sorted()
    }
}

/// A layer's output per text laid out as positions × units.
struct TokenActivations {
    /// The number of positions along the text.
    let positions: Int
    /// The number of units per position.
    let units: Int
    /// N×positions×units, row-major.
    let values: [Float]

    /// The layer output `output` (N×T×units or N×units×1×positions) of a model reading `length` ids.
    init(_ output: Tensor, layer: String, length: Int) throws {
        let sample = output.shape.sampleShape, raw = try output.toArray(), count = output.shape[0]
        if sample.rank == 2, sample[0] == length {
            (positions, units, values) = (sample[0], sample[1], raw)
        } else if sample.rank == 3, sample[1] == 1, sample[2] <= length {
            (positions, units) = (sample[2], sample[0])
            values = (0..<count).flatMap { n in
                (0..<sample[2]).flatMap { p in (0..<sample[0]).map { raw[(n * sample[0] + $0) * sample[2] + p] } }
            }
        } else {
            throw GlassboxError.invalidArgument(
                "--layer \(layer) gives \(sample) per text; activations over tokens need \(length)×units or units×1×positions"
            )
        }
    }

    /// The activation of `unit` at `position` of text `text`.
    func value(_ text: Int, _ position: Int, _ unit: Int) -> Float {
        values[(text * positions + position) * units + unit]
    }
}

extension String {
    /// The string with spaces in front up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
