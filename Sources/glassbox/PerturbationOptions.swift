import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO

extension FeatureSelection: ExpressibleByArgument {}
extension ExplainedOutput: ExpressibleByArgument {}

/// The options of the perturbation methods (LIME, KernelSHAP, Shapley values, RISE): how an
/// input is cut into interpretable features, what an absent feature becomes, and the surrogate.
struct PerturbationOptions: ParsableArguments {
    @Option(
        help:
            "lime, kernel-shap, shapley-exact, shapley-sampling: how an image is cut into superpixels: quickshift[:KERNEL:MAX-DISTANCE:RATIO] (LIME's default, 4:200:0.2), slic[:SEGMENTS:COMPACTNESS:SIGMA] (scikit-image's 100:10:1), or grid[:ROWSxCOLUMNS] (default 4x4)."
    )
    var segmenter = "quickshift"

    @Option(help: "lime, kernel-shap, shapley-*: an H×W .npy of integer labels to use as the superpixels.")
    var segments: String?

    @Option(
        help:
            "lime, kernel-shap, shapley-*: what a hidden superpixel becomes: mean (its mean colour, LIME's default), value:V (a constant in the model's input units) or blur:SIGMA (a Gaussian blur, σ in pixels). Text: remove (LIME's default) or unk."
    )
    var hide: String?

    @Option(
        help:
            "kernel-shap, shapley-*: background rows (.npy R×…, or a CSV table with the model's columns); absent features take each row in turn and the outputs are averaged, as shap's KernelExplainer."
    )
    var background: String?

    @Option(
        help:
            "lime on tables: the training rows (a CSV table with the model's columns) whose quartiles and frequencies the samples are drawn from, as lime's LimeTabularExplainer."
    )
    var train: String?

    @Option(
        help:
            "lime: the most features the local model keeps (default: 10 for text and tables, every superpixel for images); image pictures outline the top 5 (or this many)."
    )
    var features: Int?

    @Option(
        name: .customLong("feature-selection"),
        help: "lime: \(FeatureSelection.allCases.map(\.rawValue).joined(separator: ", ")) (lime's choices).")
    var featureSelection: FeatureSelection = .auto

    @Option(
        name: .customLong("kernel-width"),
        help: "lime: the exponential kernel's width (default: 0.25 for images, 25 for text, √F·0.75 for tables).")
    var kernelWidth: Double?

    @Option(
        help:
            "lime, kernel-shap, shapley-*, rise: the number explained, raw (the model's output) or probabilities (default: probabilities for lime and rise, as lime and RISE's code; raw for the Shapley methods, as Captum)."
    )
    var scores: ExplainedOutput?

    @Option(
        help:
            "lime, kernel-shap, shapley-*: of several table rows or texts, pick this many explanations that together cover the most important features (SP-LIME's submodular pick)."
    )
    var pick: Int?

    @Option(help: "rise: the number of grid cells along each side of the random masks.")
    var cells = 7

    @Option(name: .customLong("keep-probability"), help: "rise: the probability that a grid cell is kept.")
    var keepProbability: Float = 0.5

    func validate() throws {
        if let features, features <= 0 { throw ValidationError("--features must be positive") }
        if let pick, pick <= 0 { throw ValidationError("--pick must be positive") }
        if let kernelWidth, !(kernelWidth > 0) { throw ValidationError("--kernel-width must be positive") }
        guard cells > 0 else { throw ValidationError("--cells must be positive") }
        guard keepProbability > 0, keepProbability <= 1 else {
            throw ValidationError("--keep-probability must be in (0, 1]")
        }
    }

    /// `--segmenter` as a segmenter.
    func parsedSegmenter() throws -> Segmenter {
        let parts = segmenter.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let numbers = parts.dropFirst().map(Double.init)
        func invalid() -> GlassboxError {
            GlassboxError.invalidArgument(
                "--segmenter is quickshift[:KERNEL:MAX-DISTANCE:RATIO], slic[:SEGMENTS:COMPACTNESS:SIGMA] or grid[:ROWSxCOLUMNS], got '\(segmenter)'"
            )
        }
        switch parts[0] {
        case "quickshift":
            guard parts.count == 1 else {
                guard numbers.count == 3, let kernel = numbers[0], let distance = numbers[1], let ratio = numbers[2]
                else { throw invalid() }
                return .quickshift(kernelSize: kernel, maximumDistance: distance, ratio: ratio)
            }
            return .lime
        case "slic":
            guard parts.count == 1 else {
                guard numbers.count == 3, let segments = numbers[0], let compactness = numbers[1],
                    let sigma = numbers[2],
                    let count = Int(exactly: segments)
                else { throw invalid() }
                return .slic(segments: count, compactness: compactness, sigma: sigma)
            }
            return .defaultSLIC
        case "grid":
            guard parts.count > 1 else { return .grid(rows: 4, columns: 4) }
            let sizes = parts[1].split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, sizes.count == 2 else { throw invalid() }
            return .grid(rows: sizes[0], columns: sizes[1])
        default: throw invalid()
        }
    }

    /// The perturbation method `name` (lime, kernel-shap, shapley-exact, shapley-sampling) over the
    /// features of `context`, with `samples` (nil: the method's default), `seed` and `batchSize`.
    func featureMethod(
        _ name: MethodName, context: FeatureContext, samples: Int?, seed: UInt64, batchSize: Int?
    ) throws -> any FeatureAttributionMethod {
        switch name {
        case .lime:
            var sampling: Lime.Sampling?
            if context.kind == .table {
                guard let discretizer = context.discretizer else {
                    throw GlassboxError.invalidArgument(
                        "lime on tables samples from the training data: give --train train.csv (as lime's LimeTabularExplainer)"
                    )
                }
                sampling = .tabular(discretizer)
            }
            var kernel: LimeKernel?
            if let kernelWidth {
                let distance: LimeKernel.Distance =
                    switch context.kind {
                    case .image: .cosine(scale: 1)
                    case .text: .cosine(scale: 100)
                    case .table: .euclidean
                    }
                kernel = LimeKernel(distance: distance, width: kernelWidth)
            }
            return Lime(
                features: context.source, absence: context.absence, sampling: sampling, samples: samples ?? 1000,
                kernel: kernel, selection: featureSelection,
                maximumFeatures: features ?? (context.kind == .image ? nil : 10), seed: seed,
                output: scores ?? .probabilities, batchSize: batchSize)
        case .kernelShap:
            return KernelShap(
                features: context.source, absence: context.absence, samples: samples, seed: seed,
                output: scores ?? .raw, batchSize: batchSize)
        case .shapleyExact, .shapleySampling:
            return ShapleyValues(
                features: context.source, absence: context.absence,
                estimator: name == .shapleyExact ? .exact : .sampling(permutations: samples ?? 25), seed: seed,
                output: scores ?? .raw, batchSize: batchSize)
        default:
            throw GlassboxError.invalidArgument("\(name.rawValue) is not a perturbation method over features")
        }
    }

    /// `--pick`: SP-LIME's choice among `explanations` (each a list of feature name and weight),
    /// printed as one line naming the picked `inputs`; nil without `--pick`.
    func submodularPick(
        _ explanations: [[(name: String, weight: Double)]], inputs: [Int], noun: String
    ) throws -> PickedExplanations? {
        guard let pick else { return nil }
        let result = try SubmodularPick(named: explanations, budget: pick)
        let total = result.importances.reduce(0, +)
        let picked = result.picked.map { inputs[$0] }
        print(
            "submodular pick (SP-LIME) of \(min(pick, explanations.count)) among \(explanations.count): \(noun) "
                + picked.map(String.init).joined(separator: ", ")
                + String(format: " (coverage %.4g of %.4g)", result.coverage, total))
        return PickedExplanations(inputs: picked, coverage: result.coverage, totalImportance: total)
    }
}

/// SP-LIME's pick for the JSON summaries: the picked inputs, and how much of the features' total
/// importance they cover.
struct PickedExplanations: Codable {
    var inputs: [Int]
    var coverage: Double
    var totalImportance: Double
}
