import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX

/// The standard image preprocessings `--preprocess` offers.
enum PreprocessRecipe: String, ExpressibleByArgument, CaseIterable {
    /// torchvision's ImageNet evaluation transforms (`ImagePreprocessing.imageNetCenterCrop`).
    case imagenet
}

/// The `--input` of commands that run a model on it: a `.npy` tensor or an image file, with the
/// preprocessing an image needs to become the model's input and the model's input layout.
struct ImageInputOptions: ParsableArguments {
    @Option(
        help:
            "The input: a .npy of one sample (C,H,W) or a batch (N,C,H,W) in the model's layout, an image (PNG, JPEG, BMP, GIF), which is resized to the model's H×W (kept at its own size where the model's H and W are symbolic) and converted to its channel count, or for a tabular model a .csv with a header row and one sample per row (the columns the model's feature names name, else every column)."
    )
    var input: String?

    @Option(
        help:
            "Image inputs: torchvision's recipe instead of --mean/--std — imagenet: resize the shorter side to 256 (bilinear), keep the centre 224×224 (for other model sizes round(S·256/224), then the model's H×W), scale to 0…1, normalise with mean 0.485,0.456,0.406 and std 0.229,0.224,0.225."
    )
    var preprocess: PreprocessRecipe?

    @Option(help: "Image inputs: per-channel mean subtracted after scaling to 0…1, e.g. 0.485,0.456,0.406.")
    var mean: String?

    @Option(help: "Image inputs: per-channel standard deviation divided by after the mean, e.g. 0.229,0.224,0.225.")
    var std: String?

    @Option(name: .customLong("channel-order"), help: "Image inputs: rgb or bgr.")
    var channelOrder: ImageChannelOrder = .rgb

    @Option(
        help:
            "The model's input layout: nchw or nhwc (Keras/TensorFlow); default: nhwc when the model's input is N×H×W×C with C of 1, 3 or 4 and its first node transposes it to NCHW. Images need nothing; .npy inputs are given in the model's layout; attributions, --window and .npy baselines are C×H×W."
    )
    var layout: InputLayout?

    func validate() throws {
        if let preprocess, mean != nil || std != nil {
            throw ValidationError(
                "--preprocess \(preprocess.rawValue) sets the mean and standard deviation itself; leave out --mean and --std"
            )
        }
    }

    /// The `--input` file; commands that also take text check that one of them is given.
    var file: String {
        get throws {
            guard let input else { throw GlassboxError.invalidArgument("give an --input (or --text for a text model)") }
            return input
        }
    }

    /// Whether the input is an image file rather than a `.npy` tensor or a `.csv` table.
    var isImage: Bool { !["npy", "csv"].contains(URL(fileURLWithPath: input ?? "").pathExtension.lowercased()) }

    /// Whether the input is a `.csv` table of feature rows.
    var isTable: Bool { URL(fileURLWithPath: input ?? "").pathExtension.lowercased() == "csv" }

    /// Loads `model` and this input as a batch for it: the model as declared, or, when its input
    /// has symbolic dimensions besides the batch, with the sample shape of this input (see
    /// ``sampleShape(for:)``). The model returned takes channels-first samples (see
    /// ``InputLayout``).
    func load(_ model: ModelSource, backend: any Backend) throws -> (graph: Graph, batch: Tensor) {
        let loaded = try loadWithMetadata(model, backend: backend)
        return (loaded.graph, loaded.batch)
    }

    /// ``load(_:backend:)``, with what the model file says about itself (see `ModelSource.load`).
    func loadWithMetadata(_ model: ModelSource, backend: any Backend) throws
        -> (graph: Graph, batch: Tensor, metadata: [String: String])
    {
        let (declared, metadata) = try model.load(backend: backend, sampleShape: sampleShape(for:))
        let layout = layout ?? InputLayout.detected(in: declared)
        let graph = try layout.channelsFirst(declared)
        let featureNames = try TableInput.featureNames(in: metadata)
        return (graph, try batch(for: graph, layout: layout, featureNames: featureNames), metadata)
    }

    /// The shape of one sample of this input for a model input declared as `declared`: a `.npy`
    /// input's own shape; a `.csv` table's number of columns; for an image, the declared
    /// dimensions with each symbolic one taken from the image's size after `--preprocess` (C×H×W,
    /// or H×W×C for an NHWC model, with 3 channels unless declared).
    func sampleShape(for declared: DeclaredInput) throws -> Shape {
        let input = try file
        if isTable { return try TableInput.sampleShape(ofCSV: input) }
        guard isImage else { return try InputLoading.sampleShape(ofNpy: input, for: declared) }
        let dimensions = declared.sampleDimensions.map(\.value)
        guard dimensions.count == 3 else {
            throw GlassboxError.invalidFile(
                path: input, reason: "an image cannot feed this model, whose input is declared \(declared)")
        }
        let axes = (layout ?? (InputLayout.looksChannelsLast(dimensions) ? .nhwc : .nchw)).axes
        let image = try Image.read(from: URL(fileURLWithPath: input))
        let size =
            preprocess == nil
            ? (height: image.height, width: image.width)
            : ImagePreprocessing.imageNetCenterCrop().outputSize(height: image.height, width: image.width)
        var sample = [0, 0, 0]
        sample[axes.channels] = dimensions[axes.channels] ?? 3
        sample[axes.height] = dimensions[axes.height] ?? size.height
        sample[axes.width] = dimensions[axes.width] ?? size.width
        return Shape(sample)
    }

    /// The input as a batch for `graph`, whose input is channels first; a `.npy` input is in the
    /// model's `layout`; a `.csv` table's columns are `featureNames` (the model's, if it names them).
    func batch(for graph: Graph, layout: InputLayout = .nchw, featureNames: [String]? = nil) throws -> Tensor {
        let input = try file
        if isTable { return try TableInput.batch(input, for: graph, featureNames: featureNames) }
        guard isImage else { return try InputLoading.batch(input, for: graph, layout: layout) }
        let shape = graph.inputShape
        guard shape.rank == 3 else {
            throw GlassboxError.invalidFile(
                path: input, reason: "an image cannot feed this model, whose input is \(shape), not C×H×W")
        }
        let array = try Image.read(from: URL(fileURLWithPath: input)).chwArray(
            try preprocessing(channels: shape[0], size: (shape[1], shape[2])))
        return try graph.backend.upload(array.values, shape: Shape([1] + array.shape.dimensions))
    }

    /// How an image becomes an input of `channels` channels and `size`: `--preprocess`, or a
    /// resize to `size` with `--mean`, `--std` and `--channel-order`.
    func preprocessing(channels: Int, size: (height: Int, width: Int)) throws -> ImagePreprocessing {
        guard let preprocess else {
            return ImagePreprocessing(
                channels: channels, size: size, channelOrder: channelOrder,
                mean: try Self.floats(mean, option: "--mean", count: channels),
                std: try Self.floats(std, option: "--std", count: channels))
        }
        guard channels == 3 else {
            throw GlassboxError.invalidArgument(
                "--preprocess \(preprocess.rawValue) needs a model with 3 input channels; this one has \(channels)")
        }
        var recipe = ImagePreprocessing.imageNetCenterCrop(size: size)
        recipe.channelOrder = channelOrder
        return recipe
    }

    /// The input values that pixel values 0 and 1 become after `--preprocess` or `--mean` and
    /// `--std`, per channel (one value each when none is given): the input's bounds.
    func pixelBounds(channels: Int) throws -> (low: [Float], high: [Float]) {
        let recipe = preprocess == nil ? nil : ImagePreprocessing.imageNetCenterCrop()
        let means = try recipe?.mean ?? Self.floats(mean, option: "--mean", count: channels)
        let deviations = try recipe?.std ?? Self.floats(std, option: "--std", count: channels)
        let count = means.isEmpty && deviations.isEmpty ? 1 : channels
        let mean = means.isEmpty ? Array(repeating: Float(0), count: count) : means
        let deviation = deviations.isEmpty ? Array(repeating: Float(1), count: count) : deviations
        return (zip(mean, deviation).map { -$0 / $1 }, zip(mean, deviation).map { (1 - $0) / $1 })
    }

    /// The pictures of the rows of `inputs` (N×C×H×W) to draw under overlays: the image file,
    /// read once and resized (and cropped) as it was for the model, or each tensor row scaled
    /// from its range to 0…1.
    func pictures(of inputs: Tensor) throws -> [Image] {
        let rows = inputs.shape[0], sample = inputs.shape.sampleShape
        if isImage {
            let input = try file
            var geometry = try preprocessing(channels: sample[0], size: (sample[1], sample[2]))
            (geometry.mean, geometry.std, geometry.channelOrder) = ([], [], .rgb)
            let picture = try Image(chwArray: Image.read(from: URL(fileURLWithPath: input)).chwArray(geometry))
            return Array(repeating: picture, count: rows)
        }
        let values = try inputs.toArray()
        return try (0..<rows).map { row in
            let slice = values[(row * sample.count)..<((row + 1) * sample.count)]
            let low = slice.min() ?? 0, high = slice.max() ?? 0
            return try Image(
                chwArray: NumpyArray(shape: sample, values: slice.map { high > low ? ($0 - low) / (high - low) : 0 }))
        }
    }

    /// A comma-separated list of `count` numbers, or empty when not given.
    static func floats(_ text: String?, option: String, count: Int) throws -> [Float] {
        guard let text else { return [] }
        guard let values = CommaSeparated.values(text, as: Float.self), values.count == count,
            values.allSatisfy(\.isFinite)
        else {
            throw GlassboxError.invalidArgument(
                "\(option) needs \(count) numbers separated by commas (one per model input channel), got '\(text)'")
        }
        return values
    }
}

extension ImageChannelOrder: ExpressibleByArgument {}
