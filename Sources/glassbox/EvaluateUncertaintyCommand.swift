import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN

extension DigitsDataset.OutOfDistribution: ExpressibleByArgument {}

/// `glassbox evaluate-uncertainty`: calibration on the test split and out-of-distribution detection.
struct EvaluateUncertaintyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-uncertainty",
        abstract:
            "Accuracy, NLL, Brier score and calibration (ECE, reliability diagram) on a dataset's test split, and how well entropy and mutual information detect out-of-distribution inputs (AUROC)."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The dataset whose test split is evaluated: digits.")
    var dataset: DatasetChoice = .digits

    @Option(
        parsing: .upToNextOption,
        help:
            "Out-of-distribution sets, one image per test image: \(DigitsDataset.OutOfDistribution.allCases.map(\.rawValue).joined(separator: ", ")) (default: all)."
    )
    var ood: [DigitsDataset.OutOfDistribution] = DigitsDataset.OutOfDistribution.allCases

    @OptionGroup var options: UncertaintyOptions

    @Option(
        help:
            "Draw the reliability diagram (15 confidence bins: accuracy bars, mean confidence marks, the diagonal) to this PNG."
    )
    var reliability: String?

    @Option(help: "Write the metrics as JSON to this file.")
    var output: String?

    @OptionGroup var deviceOptions: DeviceOptions

    /// The JSON `--output` writes.
    struct Report: Codable {
        /// AUROC of one out-of-distribution set (test images negative, OOD images positive).
        struct Detection: Codable {
            var ood: String
            var mutualInformation: Double
            var predictiveEntropy: Double
        }

        var model: String
        var method: String
        var samples: Int
        var device: String
        var seconds: Double
        var calibration: CalibrationMetrics
        var detection: [Detection]
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        let test = try DigitsDataset.load().split().test
        let graph = try modelOptions.source.load(backend: backend, sampleShape: { _ in test.imageShape }).graph
        guard graph.inputShape == test.imageShape else {
            throw GlassboxError.invalidArgument(
                "the model takes \(graph.inputShape) inputs, the \(dataset.rawValue) images are \(test.imageShape)")
        }
        let estimator = options.estimator
        let started = Date()
        func predictions(_ images: [Float]) throws -> [PredictiveUncertainty] {
            try estimator.uncertainty(
                of: try backend.upload(images, shape: Shape([test.count] + test.imageShape.dimensions)), model: graph)
        }
        let inDistribution = try predictions(test.images)
        let calibration = CalibrationMetrics(predictions: inDistribution, labels: test.labels)
        let detection = try ood.map { kind in
            let outside = try predictions(test.outOfDistribution(kind, seed: options.seed))
            func auroc(_ score: (PredictiveUncertainty) -> Double) -> Double {
                ReceiverOperatingCharacteristic.areaUnderCurve(
                    positives: outside.map(score), negatives: inDistribution.map(score))!
            }
            return Report.Detection(
                ood: kind.rawValue, mutualInformation: auroc(\.mutualInformation),
                predictiveEntropy: auroc(\.totalEntropy))
        }
        let seconds = Date().timeIntervalSince(started)
        print(
            "\(estimator.name) on \(test.count) \(dataset.rawValue) test images (\(inDistribution.first?.sampleCount ?? 0) passes each, \(backend.name), \(String(format: "%.2f", seconds)) s)"
        )
        print(
            String(
                format: "accuracy %.2f%%  NLL %.4f  Brier %.4f  ECE (15 bins) %.4f", 100 * calibration.accuracy,
                calibration.negativeLogLikelihood, calibration.brierScore, calibration.expectedCalibrationError))
        for row in detection {
            print(
                String(
                    format: "OOD %-9@ AUROC  mutual information %.3f  predictive entropy %.3f", row.ood as NSString,
                    row.mutualInformation, row.predictiveEntropy))
        }
        if let reliability {
            let bars = calibration.bins.enumerated().map { index, bin in
                BarChart.Bar(
                    label: index % 5 == 0 ? String(format: "%.2f", bin.lower) : "",
                    value: bin.count > 0 ? bin.accuracy : 0,
                    marker: bin.count > 0 ? bin.confidence : nil)
            }
            let chart = BarChart(
                title: String(
                    format: "accuracy (bars) vs confidence (marks): %@, ECE %.4f", estimator.name,
                    calibration.expectedCalibrationError),
                bars: bars, showsDiagonal: true)
            try chart.image(width: 360, height: 280).writePNG(to: URL(fileURLWithPath: reliability))
        }
        if let output {
            let report = Report(
                model: modelOptions.model, method: estimator.name, samples: inDistribution.first?.sampleCount ?? 0,
                device: backend.name,
                seconds: seconds, calibration: calibration, detection: detection)
            try report.writeJSON(to: output)
        }
    }
}
