import GlassboxCore
import GlassboxNN

/// A method that explains a model's prediction by attributing it to the input
/// (or to a layer's spatial positions, for the CAM family).
///
/// Methods follow Captum's meaning of each method and its parameters unless
/// their documentation says otherwise.
public protocol AttributionMethod: Sendable {
    /// A short name for summaries ("saliency", "integrated-gradients").
    var name: String { get }

    /// The attributions of every sample of `inputs` (N, …) toward the model
    /// output `targets[n]` (one target per sample).
    func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution

    /// The per-element statistics over the noisy copies `batch` of their attributions
    /// toward `target`: what ``NoiseTunnel`` keeps of them, computed chunk by chunk. By
    /// default the attributions of the copies made chunk by chunk (chunks sized by the
    /// memory budget); gradient methods reduce inside the backward pass, in chunks of
    /// their own `batchSize`, and never store the copies
    /// (`Graph.inputGradientStatistics(_:seeds:composite:absolute:)`).
    func noisyStatistics(_ batch: NoisyBatch, target: Int, model: Graph) throws -> SampleStatistics

    /// The method's parameters as text, by name, for summaries and reports. By default every
    /// stored property that is set, a wrapped method given by its name and a tensor by its shape.
    var parameters: [String: String] { get }
}

/// What an ``AttributionMethod`` returns.
public struct Attribution: Sendable {
    /// The attributions, one row per input sample: the input's shape for
    /// pixel methods, N×1×h×w (or N×1×H×W when upsampled) for the CAM family.
    public var values: Tensor
    /// Per sample, the sum of the attributions minus the change of the target
    /// score between baseline and input (Integrated Gradients' completeness
    /// gap); nil for methods without a baseline.
    public var convergenceDeltas: [Float]?
    /// Per sample, the relevance sum against the explained score (LRP); nil for other methods.
    public var conservation: [RelevanceConservation]?

    /// Wraps a method's result.
    public init(values: Tensor, convergenceDeltas: [Float]? = nil, conservation: [RelevanceConservation]? = nil) {
        self.values = values
        self.convergenceDeltas = convergenceDeltas
        self.conservation = conservation
    }
}

extension AttributionMethod {
    public func noisyStatistics(_ batch: NoisyBatch, target: Int, model: Graph) throws -> SampleStatistics {
        try SampleChunks(model: model, backward: true, batchSize: nil).statistics(total: batch.count) { range in
            let copies = try batch.samples(range).materialized()
            let attributions = try attribute(
                copies, targets: Array(repeating: target, count: range.count), model: model)
            return try batch.backend.sampleStatistics(attributions.values)
        }
    }

    /// Checks that there is one target per input sample.
    func checkTargets(_ targets: [Int], for inputs: Tensor) throws {
        guard targets.count == inputs.shape[0] else {
            throw GlassboxError.invalidArgument(
                "\(name) needs one target per input sample: \(inputs.shape[0]) samples, \(targets.count) targets")
        }
    }
}

extension Tensor {
    /// The sum of each sample's values (one per row of axis 0), summed on the device:
    /// IG's attribution totals, LRP's relevance sums.
    func sampleTotals() throws -> [Float] {
        try backend.reduce(self, axes: Array(1..<shape.rank), .sum, keepDimensions: false).toArray()
    }
}

extension Array where Element == Tensor {
    /// The tensors (rows of one batch, at least one) joined along the batch axis.
    func joinedAlongBatch() throws -> Tensor {
        count == 1 ? self[0] : try self[0].backend.concat(self, axis: 0)
    }
}

extension AttributionMethod {
    public var parameters: [String: String] {
        var result = [String: String]()
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let value = child.value
            if let method = value as? any AttributionMethod {
                result[label] = method.name
            } else if let tensor = value as? Tensor {
                result[label] = "tensor \(tensor.shape)"
            } else if let baseline = value as? Baseline {
                result[label] = baseline.label
            } else if let named = value as? any RawRepresentable<String> {
                result[label] = named.rawValue
            } else if Mirror(reflecting: value).displayStyle == .optional {
                guard let wrapped = Mirror(reflecting: value).children.first?.value else { continue }
                result[label] = (wrapped as? any RawRepresentable<String>)?.rawValue ?? "\(wrapped)"
            } else {
                result[label] = "\(value)"
            }
        }
        return result
    }
}
