import GlassboxCore
import GlassboxNN

/// How relevance passes a max-pooling node.
public enum MaxPoolingRelevance: String, Sendable, Hashable, CaseIterable {
    /// All of a window's relevance goes to its (first) maximal input: the
    /// gradient, as in Zennit and Montavon et al. 2019.
    case winnerTakeAll = "winner-take-all"
    /// A window's relevance is shared among its inputs in proportion to their
    /// values, R_i = Σ_windows x_i / Σ_window x · R: the window treated as a sum
    /// pooling under the ``LRPRule/norm(stabilizer:)`` rule.
    case proportional

    /// The backward rule for max-pooling nodes.
    func rule(stabilizer: Float) -> any BackwardRule {
        switch self {
        case .winnerTakeAll: GradientRule()
        case .proportional: ProportionalPoolingRule(stabilizer: stabilizer)
        }
    }
}

/// The ``MaxPoolingRelevance/proportional`` rule: the norm rule on an average
/// pooling with the max pooling's window (the 1/k of the average cancels).
struct ProportionalPoolingRule: BackwardRule {
    var stabilizer: Float

    func propagate(_ step: BackwardStep) throws -> LayerGradients {
        guard let pooling = step.layer as? Pool2D, pooling.kind == .max else { return try step.layer.backward(step) }
        var averaging = step
        averaging.node.layer = Pool2D(.average(countIncludePadding: true), window: pooling.window)
        return try LRPRule.norm(stabilizer: stabilizer).propagate(averaging)
    }
}
