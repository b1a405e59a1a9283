import GlassboxCore
import GlassboxNN

/// Input × gradient (Shrikumar et al. 2016, "Not just a black box"): the input
/// times the gradient of the target score, elementwise, as Captum's `InputXGradient`.
public struct InputXGradient: AttributionMethod {
    public var name: String { "input-x-gradient" }
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// The input × gradient method.
    public init(batchSize: Int? = nil) { self.batchSize = batchSize }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let gradient = try InputGradient(composite: .gradient, batchSize: batchSize).of(
            inputs, targets: targets, model: model)
        return Attribution(values: try inputs.backend.binary(inputs, gradient, .multiply))
    }
}
