import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN

/// The `--input` of commands that explain: a `.npy` tensor or an image file,
/// with the preprocessing an image needs to become the model's input.
struct ImageInputOptions: ParsableArguments {
    @Option(
        help:
            "The input: a .npy of one sample (C,H,W) or a batch (N,C,H,W), or an image (PNG, JPEG, BMP, GIF), which is resized to the model's H×W and converted to its channel count."
    )
    var input: String

    @Option(help: "Image inputs: per-channel mean subtracted after scaling to 0…1, e.g. 0.485,0.456,0.406.")
    var mean: String?

    @Option(help: "Image inputs: per-channel standard deviation divided by after the mean, e.g. 0.229,0.224,0.225.")
    var std: String?

    @Option(name: .customLong("channel-order"), help: "Image inputs: rgb or bgr.")
    var channelOrder: ImageChannelOrder = .rgb

    /// Whether the input is an image file rather than a `.npy` tensor.
    var isImage: Bool { URL(fileURLWithPath: input).pathExtension.lowercased() != "npy" }

    /// The input as a batch for `graph`.
    func batch(for graph: Graph) throws -> Tensor {
        guard isImage else { return try InputLoading.batch(input, for: graph) }
        let shape = graph.inputShape
        guard shape.rank == 3 else {
            throw GlassboxError.invalidFile(
                path: input, reason: "an image cannot feed this model, whose input is \(shape), not C×H×W")
        }
        let preprocessing = ImagePreprocessing(
            channels: shape[0], size: (shape[1], shape[2]), channelOrder: channelOrder,
            mean: try Self.floats(mean, option: "--mean", count: shape[0]),
            std: try Self.floats(std, option: "--std", count: shape[0]))
        let array = try Image.read(from: URL(fileURLWithPath: input)).chwArray(preprocessing)
        return try graph.backend.upload(array.values, shape: Shape([1] + array.shape.dimensions))
    }

    /// The input values that pixel values 0 and 1 become after `--mean` and `--std`,
    /// per channel (one value each when neither is given): the input's bounds.
    func pixelBounds(channels: Int) throws -> (low: [Float], high: [Float]) {
        let means = try Self.floats(mean, option: "--mean", count: channels)
        let deviations = try Self.floats(std, option: "--std", count: channels)
        let count = means.isEmpty && deviations.isEmpty ? 1 : channels
        let mean = means.isEmpty ? Array(repeating: Float(0), count: count) : means
        let deviation = deviations.isEmpty ? Array(repeating: Float(1), count: count) : deviations
        return (zip(mean, deviation).map { -$0 / $1 }, zip(mean, deviation).map { (1 - $0) / $1 })
    }

    /// The pictures of the rows of `inputs` (N×C×H×W) to draw under overlays: the image file,
    /// read once and resized to the model's size, or each tensor row scaled from its range to 0…1.
    func pictures(of inputs: Tensor) throws -> [Image] {
        let rows = inputs.shape[0], sample = inputs.shape.sampleShape
        if isImage {
            let picture = try Image.read(from: URL(fileURLWithPath: input)).resized(height: sample[1], width: sample[2])
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
