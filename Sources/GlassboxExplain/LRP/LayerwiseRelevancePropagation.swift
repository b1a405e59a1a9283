import GlassboxCore
import GlassboxNN

/// Layer-wise Relevance Propagation (Bach et al. 2015, "On pixel-wise
/// explanations for non-linear classifier decisions by layer-wise relevance
/// propagation"; Montavon et al. 2019, "Layer-wise relevance propagation: an
/// overview"): the target score is handed backward layer by layer under the
/// rules of an ``LRPComposite``, each layer redistributing what it receives over
/// its inputs, down to a relevance per input element.
///
/// The model is first canonised: batch normalisations are folded into the
/// convolution or dense layer before them (`Graph.foldingBatchNorm()`), an
/// exact GELU exported in pieces becomes one activation (`Graph.fusingGELU()`),
/// and a final softmax or log-softmax is left out, so the logits are explained
/// (relevance is a share of a score, not of a probability).
/// The walk starts from the target's score (the logit, as Captum's `LRP` and
/// Zennit seeded with `output · one-hot` do), so the relevance is in the units of
/// the score, and ``Attribution/conservation`` reports per sample how far its sum
/// is from that score. Equal to Zennit's composites with the BN-merging canonizer.
public struct LayerwiseRelevancePropagation: AttributionMethod {
    public var name: String { "lrp" }
    /// The rules.
    public var composite: LRPComposite
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    public init(composite: LRPComposite, batchSize: Int? = nil) {
        self.composite = composite
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let canonical = try Self.logits(of: try model.foldingBatchNorm().fusingGELU())
        let pass = TargetPass(
            model: canonical, composite: composite.composite(for: canonical), seedsScore: true, batchSize: batchSize)
        var conservation = [RelevanceConservation]()
        let relevance = try pass.joined(inputs, targets: targets) { chunk in
            let relevance = chunk.inputGradient!
            conservation += zip(try relevance.sampleTotals(), chunk.scores).map {
                RelevanceConservation(relevanceSum: $0, score: $1)
            }
            return relevance
        }
        return Attribution(values: relevance, conservation: conservation)
    }

    /// `model` without its final softmax or log-softmax node, if it ends in one.
    static func logits(of model: Graph) throws -> Graph {
        guard let output = try? model.node(named: model.outputName), output.layer is Softmax else { return model }
        return try Graph(
            inputName: model.inputName, inputShape: model.inputShape,
            nodes: model.nodes.filter { $0.name != output.name },
            outputName: output.inputs[0], parameters: model.parameters, backend: model.backend)
    }
}
