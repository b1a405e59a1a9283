import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO

/// What the perturbation methods (LIME, KernelSHAP, Shapley values) need to know about the
/// inputs of one command: their interpretable features, what absent features become, the feature
/// names, and for tables LIME's training statistics. Built once per command from the inputs and
/// ``PerturbationOptions``.
struct FeatureContext {
    /// The kind of input, which sets the features and LIME's defaults.
    enum Kind { case image, text, table }

    var kind: Kind
    /// The features of each input.
    var source: FeatureSource
    /// What absent features become.
    var absence: Absence
    /// Per input, its superpixels (images), to outline the top ones.
    var segmentations: [Segmentation] = []
    /// The names of a table's features (columns).
    var featureNames: [String] = []
    /// LIME's quartile discretizer of the training rows (tables with `--train`).
    var discretizer: QuartileDiscretizer?

    /// Images (N×C×H×W inputs whose pictures are `pictures`): superpixels by `--segments` or
    /// `--segmenter`, hidden as `--hide` (default: the superpixel's mean colour, LIME's) or by the
    /// rows of `--background`.
    static func images(
        _ pictures: [Image], inputShape: Shape, options: PerturbationOptions, backend: any Backend
    ) throws -> FeatureContext {
        let (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        let segmentations = try pictures.map { picture in
            if let file = options.segments {
                return try Segmentation.read(from: URL(fileURLWithPath: file), height: height, width: width)
            }
            return try options.parsedSegmenter().segment(picture)
        }
        let absence: Absence
        if let background = options.background {
            absence = .background(try Self.rows(of: background, sampleShape: inputShape, names: nil, backend: backend))
        } else {
            switch options.hide ?? "mean" {
            case "mean": absence = .featureMean
            case let hide where hide.hasPrefix("value:"):
                guard let value = Float(hide.dropFirst("value:".count)), value.isFinite else {
                    throw GlassboxError.invalidArgument("--hide value:V needs a number, got '\(hide)'")
                }
                absence = .baseline(.constant(value))
            case let hide where hide.hasPrefix("blur:"):
                guard let sigma = Float(hide.dropFirst("blur:".count)), sigma > 0, sigma.isFinite else {
                    throw GlassboxError.invalidArgument("--hide blur:SIGMA needs a positive σ in pixels, got '\(hide)'")
                }
                absence = .baseline(.blurred(sigma: sigma))
            case let hide:
                throw GlassboxError.invalidArgument(
                    "--hide for images is mean, value:V or blur:SIGMA, got '\(hide)'")
            }
        }
        return FeatureContext(
            kind: .image,
            source: .masks(try segmentations.map { try FeatureMask(pixelLabels: $0.labels, channels: channels) }),
            absence: absence, segmentations: segmentations)
    }

    /// Token-id texts: each distinct word a feature, removed when absent (LIME's default) or
    /// replaced by `<unk>` (`--hide unk`).
    static func texts(paddingID: Int, unknownID: Int, options: PerturbationOptions) throws -> FeatureContext {
        let absence: Absence
        switch options.hide ?? "remove" {
        case "remove": absence = .removedWords(paddingIndex: paddingID)
        case "unk": absence = .baseline(.constant(Float(unknownID)))
        case let hide: throw GlassboxError.invalidArgument("--hide for text is remove or unk, got '\(hide)'")
        }
        return FeatureContext(kind: .text, source: .words(paddingIndex: paddingID, bagOfWords: true), absence: absence)
    }

    /// Table rows of the features `names`: each column a feature; absent columns take the rows
    /// of `--background` (else the mean row of `--train`); LIME samples from `--train`'s statistics.
    static func tables(names: [String], options: PerturbationOptions, backend: any Backend) throws -> FeatureContext {
        let sampleShape: Shape = [names.count]
        let training = try options.train.map {
            try NumericTable(contentsOf: URL(fileURLWithPath: $0), columns: names)
        }
        let absence: Absence
        if let background = options.background {
            absence = .background(
                try Self.rows(of: background, sampleShape: sampleShape, names: names, backend: backend))
        } else if let training {
            absence = .baseline(.tensor(try backend.upload(training.columnStatistics().mean, shape: [1, names.count])))
        } else {
            absence = .baseline(.zero)
        }
        return FeatureContext(
            kind: .table, source: .elements, absence: absence, featureNames: names,
            discretizer: try training.map {
                try QuartileDiscretizer(training: $0.values, rows: $0.rowCount, columns: $0.columnCount, names: names)
            })
    }

    /// The rows of a `--background` file: a `.npy` of one sample or R samples of `sampleShape`,
    /// or (tables) a CSV with the columns `names`.
    static func rows(of path: String, sampleShape: Shape, names: [String]?, backend: any Backend) throws -> Tensor {
        if URL(fileURLWithPath: path).pathExtension.lowercased() == "csv" {
            guard let names else {
                throw GlassboxError.invalidFile(path: path, reason: "a CSV background is for tables; give a .npy")
            }
            let table = try NumericTable(contentsOf: URL(fileURLWithPath: path), columns: names)
            return try backend.upload(table.values, shape: [table.rowCount, names.count])
        }
        let array = try NumpyArray.read(from: URL(fileURLWithPath: path))
        guard array.shape == sampleShape || array.shape.sampleShape == sampleShape, array.shape.rank >= 1 else {
            throw GlassboxError.invalidFile(
                path: path, reason: "background of shape \(array.shape) holds no rows of the model input \(sampleShape)"
            )
        }
        guard array.values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidFile(path: path, reason: "contains NaN or infinite values")
        }
        let shape = array.shape == sampleShape ? Shape([1] + sampleShape.dimensions) : array.shape
        return try backend.upload(array.values, shape: shape)
    }
}
