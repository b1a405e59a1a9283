import Foundation
import GlassboxCore

/// The reference input that path and perturbation methods start from: the
/// "absence of signal" Integrated Gradients integrates from (Sundararajan et
/// al. 2017, §3; Sturmfels, Lundberg & Lee 2020, "Visualizing the impact of
/// feature attribution baselines").
public enum Baseline: Sendable {
    /// All zeros (Captum's default).
    case zero
    /// Every element equal to a value.
    case constant(Float)
    /// The input blurred by a Gaussian of standard deviation `sigma` pixels in
    /// each channel plane (inputs C×H×W); borders are renormalised so edges do not darken.
    case blurred(sigma: Float)
    /// Uniform noise over the input's own value range [min x, max x], drawn
    /// from the Philox stream of `seed` (stream number = the sample's index).
    case uniformNoise(seed: UInt64)
    /// A given tensor of one sample's shape, (1, …) or one row per input sample (N, …).
    case tensor(Tensor)

    /// A short description for summaries.
    public var label: String {
        switch self {
        case .zero: "zero"
        case .constant(let value): "constant \(value)"
        case .blurred(let sigma): "blurred (sigma \(sigma))"
        case .uniformNoise(let seed): "uniform noise (seed \(seed))"
        case .tensor(let tensor): "tensor \(tensor.shape)"
        }
    }

    /// The baseline of the one-sample input `input` (1, …), which is sample `index` of the batch explained.
    func make(for input: Tensor, index: Int) throws -> Tensor {
        let backend = input.backend
        switch self {
        case .zero: return try backend.filled(input.shape, value: 0)
        case .constant(let value): return try backend.filled(input.shape, value: value)
        case .blurred(let sigma): return try Self.blur(input, sigma: sigma)
        case .uniformNoise(let seed):
            let range = try ValueRange(of: input)
            let uniform = try backend.randomUniform(
                input.shape, stream: RandomStream(seed: seed, stream: UInt32(truncatingIfNeeded: index)))
            return try backend.affine(uniform, scale: range.width, shift: range.minimum)
        case .tensor(let tensor):
            if tensor.shape == input.shape { return tensor }
            guard tensor.shape.sampleShape == input.shape.sampleShape, index < tensor.shape[0] else {
                throw GlassboxError.shapeMismatch(
                    "the baseline \(tensor.shape) is neither one sample \(input.shape) nor one row per input sample")
            }
            return try backend.slice(tensor, axis: 0, range: index..<(index + 1))
        }
    }

    /// A Gaussian blur of each channel plane of a (1, C, H, W) input: a depthwise
    /// convolution with a normalised kernel of radius ⌈3σ⌉, divided by the same
    /// blur of ones so that the zero padding does not darken the borders.
    static func blur(_ input: Tensor, sigma: Float) throws -> Tensor {
        guard sigma > 0, sigma.isFinite else {
            throw GlassboxError.invalidArgument("blur sigma must be positive, got \(sigma)")
        }
        guard input.shape.rank == 4 else {
            throw GlassboxError.shapeMismatch("a blurred baseline needs C×H×W samples, got \(input.shape.sampleShape)")
        }
        let backend = input.backend, channels = input.shape[1]
        let radius = Int((3 * sigma).rounded(.up)), size = 2 * radius + 1
        let taps = (0..<size).map { exp(-Float(($0 - radius) * ($0 - radius)) / (2 * sigma * sigma)) }
        let total = taps.reduce(0, +) * taps.reduce(0, +)
        let plane = taps.flatMap { row in taps.map { row * $0 / total } }
        let weight = try backend.upload(
            Array((0..<channels).map { _ in plane }.joined()), shape: [channels, 1, size, size])
        let window = Window2D(kernel: size, stride: 1, padding: radius)
        let blurred = try backend.conv2d(input, weight: weight, bias: nil, window: window, groups: channels)
        let coverage = try backend.conv2d(
            try backend.filled(input.shape, value: 1), weight: weight, bias: nil, window: window, groups: channels)
        return try backend.binary(blurred, coverage, .divide)
    }
}
