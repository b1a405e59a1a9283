import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN

/// `glassbox train`: trains a built-in architecture on a built-in dataset.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a built-in architecture on a built-in dataset and save the model.")

    @Option(help: "The dataset: digits (scikit-learn's 8×8 handwritten digits, shipped with Glassbox).")
    var dataset: DatasetChoice = .digits

    @Option(help: "The architecture: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture = .smallCNN

    @Option(help: "Passes over the training set.")
    var epochs: Int = 15

    @Option(name: .customLong("batch-size"), help: "Samples per minibatch.")
    var batchSize: Int = 32

    @Option(name: .customLong("learning-rate"), help: "Adam's step size.")
    var learningRate: Float = 2e-3

    @Option(help: "Seed of the weight initialisation, shuffling and dropout.")
    var seed: UInt64 = 0

    @Option(
        help:
            "bayes-cnn, bayes-mlp: weight samples per training example and step (the K of the ELBO's Monte-Carlo estimate), run as one batch."
    )
    var samples = 1

    @Option(
        help:
            "bayes-cnn, bayes-mlp: the weight prior, gaussian:SIGMA or mixture:PI,SIGMA1,SIGMA2 (default mixture:0.5,1,0.0025, Blundell et al.)."
    )
    var prior: String?

    @Option(
        name: .customLong("kl-weighting"),
        help:
            "bayes-cnn, bayes-mlp: how the KL term is spread over an epoch's minibatches, blundell (2^(M−i)/(2^M−1)) or uniform (1/M)."
    )
    var klWeighting: Trainer<Adam>.KLWeighting = .blundell

    @Option(help: "Where to write the trained model (.glassbox).")
    var output: String = "model.glassbox"

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive") }
        guard samples > 0 else { throw ValidationError("--samples must be positive") }
    }

    /// `--prior`, parsed.
    func weightPrior() throws -> WeightPrior {
        guard let prior else { return .blundell }
        let parts = prior.split(separator: ":", maxSplits: 1).map(String.init)
        let numbers = parts.count == 2 ? CommaSeparated.values(parts[1], as: Float.self) ?? [] : []
        let parsed: WeightPrior? =
            switch (parts.first, numbers.count) {
            case ("gaussian", 1): .gaussian(standardDeviation: numbers[0])
            case ("mixture", 3): .scaleMixture(weight: numbers[0], wide: numbers[1], narrow: numbers[2])
            default: nil
            }
        guard let parsed, let valid = try? parsed.validated() else {
            throw GlassboxError.invalidArgument(
                "--prior needs gaussian:SIGMA or mixture:PI,SIGMA1,SIGMA2 with positive SIGMAs and 0 < PI < 1, got '\(prior)'"
            )
        }
        return valid
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        let (training, testing) = try dataset.load()
        print(
            "training \(arch.rawValue) on \(dataset.rawValue): \(training.count) train / \(testing.count) test samples, device \(backend.name)"
        )
        let (graph, last) = try Self.train(
            arch, on: training, testing: testing, epochs: epochs, batchSize: batchSize,
            learningRate: learningRate, seed: seed, samples: samples, prior: try weightPrior(),
            klWeighting: klWeighting, backend: backend, printsEpochs: true)
        let testAccuracy = String(format: "%.4f", last?.testAccuracy ?? 0)
        try ModelFile.save(
            graph, to: URL(fileURLWithPath: output),
            metadata: [
                "dataset": dataset.rawValue, "architecture": arch.rawValue, "epochs": String(epochs),
                "seed": String(seed), "test-accuracy": testAccuracy, "samples": String(samples),
            ])
        print("test accuracy \(testAccuracy); saved \(output)")
    }

    /// Trains `arch` with Adam, showing a progress bar on a terminal and, when
    /// `printsEpochs`, a line per epoch; returns the model and the last epoch's report.
    static func train(
        _ arch: Architecture, on training: LabeledSamples, testing: LabeledSamples, epochs: Int, batchSize: Int = 32,
        learningRate: Float = 2e-3, seed: UInt64, samples: Int = 1, prior: WeightPrior = .blundell,
        klWeighting: Trainer<Adam>.KLWeighting = .blundell, backend: any Backend,
        printsEpochs: Bool
    ) throws -> (Graph, EpochReport?) {
        var graph = try Graph.initialized(
            inputShape: training.sampleShape,
            nodes: try arch.nodes(inputShape: training.sampleShape, classes: 10, prior: prior),
            seed: seed, backend: backend)
        var trainer = Trainer(
            optimizer: Adam(learningRate: learningRate), batchSize: batchSize, seed: seed, samplesPerStep: samples,
            klWeighting: klWeighting)
        let bar = ProgressBar()
        var last: EpochReport?
        try trainer.train(
            &graph, on: training, testing: testing, epochs: epochs,
            progress: { epoch, fraction in bar.update(fraction, label: "epoch \(epoch)/\(epochs)") },
            report: { report in
                bar.finish()
                last = report
                guard printsEpochs else { return }
                let accuracy = String(
                    format: "train accuracy %.2f%%  test accuracy %.2f%%",
                    100 * report.trainAccuracy, 100 * (report.testAccuracy ?? 0))
                if let kl = report.klDivergence {
                    // The ELBO per training sample: −(expected NLL + KL/N).
                    print(
                        String(
                            format: "epoch %3d  NLL %.4f  KL %.1f  KL/N %.4f  −ELBO/N %.4f  ", report.epoch,
                            report.loss, kl,
                            kl / Double(training.count), report.loss + kl / Double(training.count)) + accuracy)
                } else {
                    print(String(format: "epoch %3d  loss %.4f  ", report.epoch, report.loss) + accuracy)
                }
            })
        return (graph, last)
    }
}

extension Architecture: ExpressibleByArgument {}
extension Trainer.KLWeighting: ExpressibleByArgument {}

/// The built-in datasets.
enum DatasetChoice: String, ExpressibleByArgument, CaseIterable {
    case digits

    /// The fixed train/test split as labelled samples.
    func load() throws -> (training: LabeledSamples, testing: LabeledSamples) {
        let (train, test) = try DigitsDataset.load().split()
        return (try train.labeledSamples(), try test.labeledSamples())
    }
}

extension DigitsDataset {
    /// The images and labels as `LabeledSamples`.
    func labeledSamples() throws -> LabeledSamples {
        try LabeledSamples(values: images, labels: labels, sampleShape: imageShape)
    }
}
