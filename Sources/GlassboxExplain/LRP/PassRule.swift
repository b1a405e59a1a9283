import GlassboxNN

/// Relevance passes through unchanged: the LRP treatment of elementwise
/// activations (and of a batch normalisation that could not be folded), which
/// redistribute nothing (Montavon et al. 2019; Zennit's `Pass`).
public struct PassRule: BackwardRule {
    public init() {}

    public func propagate(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [step.gradient])
    }
}
