import GlassboxCore
import GlassboxNN

/// Integrated Gradients (Sundararajan, Taly & Yan 2017, "Axiomatic attribution
/// for deep networks"): (x − b) times the path integral of the gradient along
/// the straight line from the baseline b to the input x, approximated by an
/// ``IntegrationRule``. As Captum's `IntegratedGradients`.
///
/// All `steps` points of one input are one batch made on the device
/// (`Backend.interpolationBatch(_:baseline:alphas:)`), chunked to the memory
/// budget; each chunk's gradients are weighted and summed on the device, so one
/// map per input comes back. The result carries the convergence delta
/// Σ attributions − (f(x) − f(b)) per input, which tends to 0 as steps grow.
public struct IntegratedGradients: AttributionMethod {
    public var name: String { "integrated-gradients" }
    /// The number of points on the path.
    public var steps: Int
    /// How the points and weights are placed.
    public var integration: IntegrationRule
    /// The path's starting point.
    public var baseline: Baseline
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// Integrated Gradients with Captum's defaults: 50 Gauss–Legendre points from a zero baseline.
    public init(
        steps: Int = 50, integration: IntegrationRule = .gaussLegendre, baseline: Baseline = .zero,
        batchSize: Int? = nil
    ) {
        self.steps = steps
        self.integration = integration
        self.baseline = baseline
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let backend = inputs.backend
        let (alphas, weights) = try integration.points(steps: steps)
        let pass = TargetPass(model: model, batchSize: batchSize)
        var maps = [Tensor](), baselines = [Tensor]()
        for index in 0..<inputs.shape[0] {
            let input = try backend.slice(inputs, axis: 0, range: index..<(index + 1))
            let start = try baseline.make(for: input, index: index)
            var integral: Tensor?
            try pass.run(
                total: steps, target: { _ in targets[index] },
                makeBatch: {
                    try backend.interpolationBatch(input, baseline: start, alphas: $0.map { Float(alphas[$0]) })
                }
            ) { chunk in
                let gradients = try chunk.inputGradient!.reshaped([chunk.range.count, input.count])
                let chunkWeights = try backend.upload(
                    chunk.range.map { Float(weights[$0]) }, shape: [1, chunk.range.count])
                integral = try backend.gemm(
                    chunkWeights, gradients, transposeA: false, transposeB: false,
                    alpha: 1, beta: integral == nil ? 0 : 1, accumulator: integral)
            }
            let difference = try backend.binary(input, start, .subtract)
            maps.append(try backend.binary(difference, try integral!.reshaped(input.shape), .multiply))
            baselines.append(start)
        }
        // The completeness gap of every input from one forward pass over the inputs and their baselines.
        let values = try maps.joinedAlongBatch()
        let totals = try values.sampleTotals()
        let endpoints = try TargetPass(model: model, backward: false)
            .scores(of: try backend.concat([inputs] + baselines, axis: 0), targets: targets + targets)
        let count = inputs.shape[0]
        let deltas = (0..<count).map { totals[$0] - (endpoints[$0] - endpoints[count + $0]) }
        return Attribution(values: values, convergenceDeltas: deltas)
    }
}

extension IntegratedGradients: BaselineAttributionMethod {
    public func replacingBaseline(_ baseline: Baseline) -> IntegratedGradients {
        var method = self
        method.baseline = baseline
        return method
    }
}
