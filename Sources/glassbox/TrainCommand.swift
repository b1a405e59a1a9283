import ArgumentParser
import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxText

/// `glassbox train`: trains a built-in architecture on a built-in dataset.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in architecture on a built-in dataset (or your labelled text) and save the model.")

    @Option(
        help:
            "The dataset: digits (scikit-learn's 8×8 handwritten digits), breast-cancer (scikit-learn's 569×30 Wisconsin table, for mlp and bayes-mlp), tweets (6,000 tweets labelled negative/neutral/positive, shipped with Glassbox), tweets-full (all 38,158, after scripts/fetch_tweets.py); --data for your own text."
    )
    var dataset: TrainingDataset = .digits

    @Option(
        help:
            "Your own labelled text to train a text model on: a .csv, .tsv or .jsonl table with --text-column and --label-column; --test-fraction of it (seeded) is held out."
    )
    var data: String?

    @Option(name: .customLong("text-column"), help: "--data: the column (JSON member) holding the text.")
    var textColumn = "text"

    @Option(name: .customLong("label-column"), help: "--data: the column (JSON member) holding the label.")
    var labelColumn = "label"

    @Option(name: .customLong("test-fraction"), help: "--data: the share of the rows held out for testing.")
    var testFraction: Double = 0.2

    @Option(
        help:
            "The architecture: images \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")) (default small-cnn; breast-cancer: mlp); text \(TextArchitecture.allCases.map(\.rawValue).joined(separator: ", ")) (default text-cnn)."
    )
    var arch: ModelArchitecture?

    @Option(
        name: .customLong("sequence-length"),
        help: "Text: the number of token ids per text (longer texts are truncated).")
    var sequenceLength = 40

    @Option(
        name: .customLong("min-count"), help: "Text: the fewest training-set occurrences a word needs to get an id.")
    var minCount = 2

    @Option(
        name: .customLong("max-vocabulary"), help: "Text: the most ids in the vocabulary, <pad> and <unk> included.")
    var maxVocabulary = 20000

    @Option(help: "Passes over the training set.")
    var epochs: Int = 15

    @Option(name: .customLong("batch-size"), help: "Samples per minibatch.")
    var batchSize: Int = 32

    @Option(name: .customLong("learning-rate"), help: "Adam's step size.")
    var learningRate: Float = 2e-3

    @Option(
        name: .customLong("weight-decay"),
        help:
            "Decoupled weight decay λ (AdamW, Loshchilov & Hutter 2019): θ ← (1 − ηλ)θ before each Adam step (default: 0.5 for text, chosen on the tweets' validation split; 0 for the other datasets)."
    )
    var weightDecay: Float?

    @Option(
        name: .customLong("validation-fraction"),
        help:
            "The share of each class of the training split (seeded) held out to pick the epoch of best validation accuracy, whose parameters are saved; 0 keeps the last epoch (default: 0.1 for text, 0 for the other datasets)."
    )
    var validationFraction: Double?

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
        if let weightDecay, !(weightDecay >= 0 && weightDecay.isFinite) {
            throw ValidationError("--weight-decay must be 0 or more")
        }
        if let validationFraction, !(0..<1).contains(validationFraction) {
            throw ValidationError("--validation-fraction must lie in [0, 1)")
        }
        guard sequenceLength > 0, minCount > 0, maxVocabulary > 2 else {
            throw ValidationError("--sequence-length and --min-count must be positive and --max-vocabulary above 2")
        }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must lie in (0, 1)") }
        if data != nil, dataset != .digits {
            throw ValidationError("give --dataset or --data, not both")
        }
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
        let texts = try textDataset()
        let architecture =
            arch ?? (texts == nil ? .image(dataset == .breastCancer ? .mlp : .smallCNN) : .text(.textCNN))
        let graph: Graph, testing: LabeledSamples
        var training: LabeledSamples
        var metadata = [
            "dataset": data ?? dataset.rawValue, "architecture": architecture.name, "epochs": String(epochs),
            "seed": String(seed), "samples": String(samples),
        ]
        switch (architecture, texts) {
        case (.image(let image), nil) where dataset == .breastCancer:
            guard image.takesFeatureVectors else {
                throw GlassboxError.invalidArgument(
                    "\(image.rawValue) takes images; train mlp or bayes-mlp on the breast-cancer table")
            }
            let (train, test) = try BreastCancerDataset.load().split()
            (training, testing) = (try train.labeledSamples(), try test.labeledSamples())
            let statistics = train.table.columnStatistics()
            graph = try Graph.initialized(
                inputShape: train.featureShape,
                nodes: try image.nodes(
                    inputShape: train.featureShape, classes: train.classCount, prior: try weightPrior()),
                seed: seed, backend: backend
            ).standardizingInput(mean: statistics.mean, standardDeviation: statistics.standardDeviation)
            metadata[TextInputs.classNamesMetadataKey] = String(
                decoding: try JSONEncoder().encode(train.classNames), as: UTF8.self)
            metadata[TableInput.featureNamesMetadataKey] = String(
                decoding: try JSONEncoder().encode(train.featureNames), as: UTF8.self)
        case (.image(let image), nil):
            (training, testing) = try dataset.loadImages()
            graph = try Graph.initialized(
                inputShape: training.sampleShape,
                nodes: try image.nodes(inputShape: training.sampleShape, classes: 10, prior: try weightPrior()),
                seed: seed, backend: backend)
        case (.text(let text), let texts?):
            let pipeline = try TextPipeline(
                training: texts.train.map(\.text), minimumCount: minCount, maximumSize: maxVocabulary,
                sequenceLength: sequenceLength)
            (training, testing) = (try texts.train.samples(pipeline), try texts.test.samples(pipeline))
            graph = try text.graph(
                sequenceLength: sequenceLength, vocabularySize: pipeline.vocabulary.count, classes: texts.classes.count,
                seed: seed, backend: backend)
            metadata.merge(try pipeline.metadata()) { _, new in new }
            metadata[TextInputs.classNamesMetadataKey] = String(
                decoding: try JSONEncoder().encode(texts.classes), as: UTF8.self)
            print("vocabulary of \(pipeline.vocabulary.count) tokens, \(sequenceLength) per text")
        case (.image, _?):
            throw GlassboxError.invalidArgument(
                "\(architecture.name) is an image architecture; text takes \(TextArchitecture.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        case (.text, nil):
            throw GlassboxError.invalidArgument(
                "\(architecture.name) is a text architecture; train it on --dataset tweets or --data")
        }
        var validation: LabeledSamples?
        let heldOut = validationFraction ?? (texts == nil ? 0 : 0.1)
        let decay = weightDecay ?? (texts == nil ? 0 : 0.5)
        metadata["weight-decay"] = String(decay)
        if heldOut > 0 {
            (training, validation) = try training.stratifiedSplit(holdingOut: heldOut, seed: seed)
            metadata["validation-fraction"] = String(heldOut)
        }
        print(
            "training \(architecture.name) on \(data ?? dataset.rawValue): \(training.count) train / \(validation.map { "\($0.count) validation / " } ?? "")\(testing.count) test samples, device \(backend.name)"
        )
        let (trained, selected) = try Self.train(
            graph, on: training, validation: validation, testing: testing, epochs: epochs, batchSize: batchSize,
            learningRate: learningRate, weightDecay: decay, seed: seed, samples: samples,
            klWeighting: klWeighting, printsEpochs: true)
        let testAccuracy = String(format: "%.4f", selected?.testAccuracy ?? 0)
        metadata["test-accuracy"] = testAccuracy
        metadata["selected-epoch"] = selected.map { String($0.epoch) }
        try ModelFile.save(trained, to: URL(fileURLWithPath: output), metadata: metadata)
        if let selected, let accuracy = selected.validationAccuracy {
            print(
                String(
                    format: "kept epoch %d, the best on validation (validation accuracy %.2f%%)", selected.epoch,
                    100 * accuracy))
        }
        print("test accuracy \(testAccuracy); saved \(output)")
    }

    /// The labelled texts `--dataset` or `--data` names, split for training and testing; nil for an image dataset.
    func textDataset() throws -> (train: [LabeledText], test: [LabeledText], classes: [String])? {
        if let data {
            let table = try LabeledTextTable(
                contentsOf: URL(fileURLWithPath: data), textColumn: textColumn, labelColumn: labelColumn)
            var generator = SplitMix64(seed: seed)
            let order = table.rows.indices.shuffled(using: &generator)
            let held = max(1, Int((Double(order.count) * testFraction).rounded()))
            guard order.count > held else {
                throw GlassboxError.invalidFile(
                    path: data, reason: "has too few rows (\(order.count)) to hold some out")
            }
            return (
                order.dropFirst(held).map { table.rows[$0] }, order.prefix(held).map { table.rows[$0] }, table.classes
            )
        }
        switch dataset {
        case .digits, .breastCancer: return nil
        case .tweets:
            let tweets = try TweetsDataset.load()
            return (tweets.train, tweets.test, tweets.classes)
        case .tweetsFull:
            let tweets = try TweetsDataset.loadFullCorpus()
            return (tweets.train, tweets.test, tweets.classes)
        }
    }

    /// Trains `arch` with Adam, showing a progress bar on a terminal and, when
    /// `printsEpochs`, a line per epoch; returns the model and the last epoch's report.
    static func train(
        _ arch: Architecture, on training: LabeledSamples, testing: LabeledSamples, epochs: Int, batchSize: Int = 32,
        learningRate: Float = 2e-3, seed: UInt64, samples: Int = 1, prior: WeightPrior = .blundell,
        klWeighting: Trainer<Adam>.KLWeighting = .blundell, backend: any Backend,
        printsEpochs: Bool
    ) throws -> (Graph, EpochReport?) {
        let graph = try Graph.initialized(
            inputShape: training.sampleShape,
            nodes: try arch.nodes(inputShape: training.sampleShape, classes: 10, prior: prior),
            seed: seed, backend: backend)
        return try train(
            graph, on: training, testing: testing, epochs: epochs, batchSize: batchSize, learningRate: learningRate,
            seed: seed, samples: samples, klWeighting: klWeighting, printsEpochs: printsEpochs)
    }

    /// Trains `graph` with Adam (AdamW for a positive `weightDecay`), as
    /// ``train(_:on:testing:epochs:batchSize:learningRate:seed:samples:prior:klWeighting:backend:printsEpochs:)``;
    /// with `validation`, returns the parameters and report of the epoch of best validation accuracy.
    static func train(
        _ graph: Graph, on training: LabeledSamples, validation: LabeledSamples? = nil, testing: LabeledSamples,
        epochs: Int, batchSize: Int, learningRate: Float, weightDecay: Float = 0, seed: UInt64, samples: Int,
        klWeighting: Trainer<Adam>.KLWeighting, printsEpochs: Bool
    ) throws -> (Graph, EpochReport?) {
        var graph = graph
        var trainer = Trainer(
            optimizer: Adam(learningRate: learningRate, weightDecay: weightDecay), batchSize: batchSize, seed: seed,
            samplesPerStep: samples, klWeighting: klWeighting)
        let bar = ProgressBar()
        let selected = try trainer.train(
            &graph, on: training, validation: validation, testing: testing, epochs: epochs,
            progress: { epoch, fraction in bar.update(fraction, label: "epoch \(epoch)/\(epochs)") },
            report: { report in
                bar.finish()
                guard printsEpochs else { return }
                let accuracy =
                    String(format: "train accuracy %.2f%%  ", 100 * report.trainAccuracy)
                    + (report.validationAccuracy.map { String(format: "validation accuracy %.2f%%  ", 100 * $0) } ?? "")
                    + String(format: "test accuracy %.2f%%", 100 * (report.testAccuracy ?? 0))
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
        return (graph, selected)
    }
}

extension Architecture: ExpressibleByArgument {}

/// A built-in architecture for images or for text, as `--arch` names it.
enum ModelArchitecture: ExpressibleByArgument {
    case image(Architecture)
    case text(TextArchitecture)

    init?(argument: String) {
        if let image = Architecture(rawValue: argument) {
            self = .image(image)
        } else if let text = TextArchitecture(rawValue: argument) {
            self = .text(text)
        } else {
            return nil
        }
    }

    /// The architecture's name.
    var name: String {
        switch self {
        case .image(let image): image.rawValue
        case .text(let text): text.rawValue
        }
    }

    static var allValueStrings: [String] {
        Architecture.allCases.map(\.rawValue) + TextArchitecture.allCases.map(\.rawValue)
    }
}

/// The datasets `glassbox train --dataset` offers.
enum TrainingDataset: String, ExpressibleByArgument, CaseIterable {
    case digits
    case breastCancer = "breast-cancer"
    case tweets
    case tweetsFull = "tweets-full"

    /// The image dataset's fixed split.
    func loadImages() throws -> (training: LabeledSamples, testing: LabeledSamples) {
        guard self == .digits else { throw GlassboxError.invalidArgument("\(rawValue) is not an image dataset") }
        return try DatasetChoice.digits.load()
    }
}

extension Array where Element == LabeledText {
    /// The texts encoded by `pipeline` as training samples of token ids.
    func samples(_ pipeline: TextPipeline) throws -> LabeledSamples {
        try LabeledSamples(
            values: try flatMap { try pipeline.encode($0.text).ids.map(Float.init) },
            labels: try map { text in
                guard let label = text.label else {
                    throw GlassboxError.invalidArgument("a training text has no label")
                }
                return label
            },
            sampleShape: [pipeline.sequenceLength])
    }
}
extension Trainer.KLWeighting: ExpressibleByArgument {}

/// The built-in datasets.
enum DatasetChoice: String, ExpressibleByArgument, CaseIterable {
    case digits
    case breastCancer = "breast-cancer"

    /// The fixed train/test split as labelled samples.
    func load() throws -> (training: LabeledSamples, testing: LabeledSamples) {
        switch self {
        case .digits:
            let (train, test) = try DigitsDataset.load().split()
            return (try train.labeledSamples(), try test.labeledSamples())
        case .breastCancer:
            let (train, test) = try BreastCancerDataset.load().split()
            return (try train.labeledSamples(), try test.labeledSamples())
        }
    }

    /// The names of a table's columns; nil for images.
    var featureNames: [String]? {
        get throws { self == .breastCancer ? try BreastCancerDataset.load().featureNames : nil }
    }
}

extension DigitsDataset {
    /// The images and labels as `LabeledSamples`.
    func labeledSamples() throws -> LabeledSamples {
        try LabeledSamples(values: images, labels: labels, sampleShape: imageShape)
    }
}

extension BreastCancerDataset {
    /// The feature rows and labels as `LabeledSamples`.
    func labeledSamples() throws -> LabeledSamples {
        try LabeledSamples(values: features, labels: labels, sampleShape: featureShape)
    }
}
