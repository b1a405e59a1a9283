import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO

/// `glassbox uncertainty`: how sure the model is about each input, split into aleatoric and epistemic parts.
struct UncertaintyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uncertainty",
        abstract:
            "Predict with uncertainty: mean class probabilities, their spread, and total = aleatoric + epistemic entropy.",
        discussion: "mc-dropout needs a model with dropout layers; bayes one with Bayesian layers.")

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var inputOptions: ImageInputOptions

    @OptionGroup var textOptions: TextInputOptions

    @OptionGroup var options: UncertaintyOptions

    @OptionGroup var labelOptions: LabelOptions

    @Option(help: "Write the per-input decomposition as JSON to this file.")
    var output: String?

    @Option(
        help:
            "Draw each input's class probabilities with their spread and the histogram of its top class's probability to this PNG."
    )
    var plot: String?

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        try CommandInputs.validate(image: inputOptions, text: textOptions)
    }

    /// The JSON `--output` writes.
    struct Report: Codable {
        var model: String
        var input: String
        var method: String
        var samples: Int
        var device: String
        var seconds: Double
        var inputs: [PredictiveUncertainty]
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        let inputs = try CommandInputs.load(
            modelOptions.source, image: inputOptions, text: textOptions, backend: backend)
        let (graph, batch) = (inputs.graph, inputs.batch)
        let names = try inputs.classNames(labelOptions)
        let estimator = options.estimator
        let started = Date()
        let results = try estimator.uncertainty(of: batch, model: graph)
        let seconds = Date().timeIntervalSince(started)
        for (index, result) in results.enumerated() {
            let k = result.predictedClass
            let label = inputs.text.map { "text \(index) \"\($0.texts[index])\"\n  " } ?? "input \(index)  "
            print(
                label + "class \(names.describe(k))  "
                    + String(
                        format: "p = %.4f ± %.4f  total %.4f = aleatoric %.4f + epistemic %.4f nats",
                        result.meanProbabilities[k], result.standardDeviations[k], result.totalEntropy,
                        result.aleatoricEntropy, result.mutualInformation))
        }
        print(
            "\(estimator.name): \(results.first?.sampleCount ?? 0) passes per input on \(backend.name) in \(String(format: "%.3f", seconds)) s"
        )
        if let output {
            let report = Report(
                model: modelOptions.model, input: inputs.name(inputOptions), method: estimator.name,
                samples: results.first?.sampleCount ?? 0,
                device: backend.name, seconds: seconds, inputs: results)
            try report.writeJSON(to: output)
        }
        if let plot {
            try Self.panel(of: results, names: names).writePNG(to: URL(fileURLWithPath: plot))
        }
    }

    /// One row per input: the class probabilities with ±1 standard deviation, and the top class's histogram.
    static func panel(of results: [PredictiveUncertainty], names: ClassNames? = nil) -> Panel {
        let rows: [[Image?]] = results.map { result in
            let probabilities = BarChart(
                title: "mean probability +/- 1 std",
                bars: result.meanProbabilities.indices.map {
                    BarChart.Bar(
                        label: "\($0)", value: Double(result.meanProbabilities[$0]),
                        spread: Double(result.standardDeviations[$0]))
                })
            let counts = result.histogram(bins: 10)
            let histogram = BarChart(
                title: "p(class \(result.predictedClass)) over \(result.sampleCount) samples",
                bars: counts.enumerated().map {
                    BarChart.Bar(
                        label: $0.offset % 2 == 0 ? String(format: "%.1f", Double($0.offset) / 10) : "",
                        value: Double($0.element))
                },
                maximum: Double(max(counts.max() ?? 1, 1)))
            return [probabilities.image(), histogram.image()]
        }
        let labels = results.enumerated().map { index, result in
            "input \(index)\nclass \(names.describe(result.predictedClass))\n"
                + String(
                    format: "total %.3f\naleatoric %.3f\nepistemic %.3f", result.totalEntropy, result.aleatoricEntropy,
                    result.mutualInformation)
        }
        return Panel(
            tiles: rows, columnTitles: ["class probabilities", "top class histogram"], rowLabels: labels,
            tileHeight: 200, tileWidth: 320, textScale: 1)
    }
}
