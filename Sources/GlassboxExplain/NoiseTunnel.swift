import GlassboxCore
import GlassboxNN

/// SmoothGrad and its variants (Smilkov, Thorat, Kim, Viégas & Wattenberg 2017,
/// "SmoothGrad: removing noise by adding noise"; VarGrad: Adebayo et al. 2018,
/// "Local explanation methods for deep neural networks lack sensitivity to
/// parameter values"): any attribution method applied to noisy copies of the
/// input, x + 𝒩(0, σ²), and the per-element mean, mean of squares or variance
/// of the copies' attributions. As Captum's `NoiseTunnel`, except that the
/// noise may be given relative to the input's range (σ = level·(max x − min x),
/// the paper's and Zennit's convention) as well as absolute (Captum's `stdevs`).
///
/// The copies of one input (a `NoisyBatch`) are drawn on the device by the
/// shared Philox generator, so the CPU and OpenCL backends draw the same noise
/// for the same seed; the wrapped method reduces their attributions on the device
/// by Welford's update, chunk by chunk (``AttributionMethod/noisyStatistics(_:target:model:)``,
/// which also sets the chunk size: the method's own `batchSize`, else the memory
/// budget), so one map per input comes back. For gradient methods (saliency, guided
/// backprop, deconvnet) whose model starts with a convolution, the noise is drawn
/// inside that convolution's input read and the gradients are reduced inside its
/// backward kernel.
public struct NoiseTunnel: AttributionMethod {
    /// The statistic of the noisy attributions.
    public enum Statistic: String, Sendable, CaseIterable, Codable {
        /// The mean (SmoothGrad).
        case smoothGrad = "smoothgrad"
        /// The mean of the squares (SmoothGrad²).
        case smoothGradSquared = "smoothgrad-sq"
        /// The variance (VarGrad).
        case varGrad = "vargrad"
    }

    /// The standard deviation of the noise.
    public enum NoiseScale: Sendable, Equatable {
        /// σ = level·(max x − min x) for each input x (Smilkov et al. use 10–20%).
        case relative(Float)
        /// σ as given (Captum's `stdevs`).
        case absolute(Float)
    }

    public var name: String {
        method.name == "saliency" ? statistic.rawValue : "\(statistic.rawValue) of \(method.name)"
    }
    /// The method applied to each noisy copy.
    public var method: any AttributionMethod
    public var statistic: Statistic
    /// The number of noisy copies per input.
    public var samples: Int
    public var noise: NoiseScale
    /// The Philox seed; input n of a call draws from stream n.
    public var seed: UInt64

    /// A noise tunnel around `method`; by default SmoothGrad with 50 copies and 15% noise.
    public init(
        _ method: any AttributionMethod, statistic: Statistic = .smoothGrad, samples: Int = 50,
        noise: NoiseScale = .relative(0.15), seed: UInt64 = 0
    ) {
        self.method = method
        self.statistic = statistic
        self.samples = samples
        self.noise = noise
        self.seed = seed
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        guard samples > 0 else {
            throw GlassboxError.invalidArgument("\(name) needs at least one sample, got \(samples)")
        }
        let backend = inputs.backend
        var maps = [Tensor]()
        for index in 0..<inputs.shape[0] {
            let input = try backend.slice(inputs, axis: 0, range: index..<(index + 1))
            let stream = RandomStream(seed: seed, stream: UInt32(truncatingIfNeeded: index))
            let copies = try NoisyBatch(
                input, count: samples, standardDeviation: try standardDeviation(of: input), stream: stream)
            let statistics = try method.noisyStatistics(copies, target: targets[index], model: model)
            switch statistic {
            case .smoothGrad: maps.append(statistics.mean)
            case .smoothGradSquared: maps.append(try statistics.meanOfSquares())
            case .varGrad: maps.append(try statistics.variance())
            }
        }
        return Attribution(values: try maps.joinedAlongBatch())
    }

    /// σ for one input.
    func standardDeviation(of input: Tensor) throws -> Float {
        switch noise {
        case .absolute(let sigma):
            guard sigma >= 0, sigma.isFinite else {
                throw GlassboxError.invalidArgument("noise sigma must be ≥ 0, got \(sigma)")
            }
            return sigma
        case .relative(let level):
            guard level >= 0, level.isFinite else {
                throw GlassboxError.invalidArgument("noise level must be ≥ 0, got \(level)")
            }
            return level * (try ValueRange(of: input).width)
        }
    }
}
