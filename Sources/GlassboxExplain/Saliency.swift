import GlassboxCore
import GlassboxNN

/// Saliency maps (Simonyan, Vedaldi & Zisserman 2014, "Deep inside
/// convolutional networks"): the gradient of the target score with respect to
/// the input, by default its absolute value as Captum's `Saliency(abs=True)`.
public struct Saliency: AttributionMethod {
    public var name: String { absolute ? "saliency" : "saliency-signed" }
    /// Whether the map is |∂score/∂x| (true) or the signed gradient.
    public var absolute: Bool
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// The saliency method, absolute unless `absolute` is false.
    public init(absolute: Bool = true, batchSize: Int? = nil) {
        self.absolute = absolute
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let gradient = try inputGradient.of(inputs, targets: targets, model: model)
        return Attribution(values: absolute ? try gradient.backend.unary(gradient, .abs) : gradient)
    }

    public func noisyStatistics(_ batch: NoisyBatch, target: Int, model: Graph) throws -> SampleStatistics {
        try inputGradient.statistics(of: batch, target: target, model: model, absolute: absolute)
    }

    /// The plain input gradient, in chunks of ``batchSize``.
    private var inputGradient: InputGradient { InputGradient(composite: .gradient, batchSize: batchSize) }
}
