import GlassboxCore
import GlassboxNN

/// A rule of Layer-wise Relevance Propagation (Bach et al. 2015, "On pixel-wise
/// explanations for non-linear classifier decisions by layer-wise relevance
/// propagation"; Montavon et al. 2019, "Layer-wise relevance propagation: an
/// overview") as a `BackwardRule` of the graph's backward walk.
///
/// For each ``RelevanceGroup`` the rule evaluates the node's own layer, in
/// inference mode, on each term's modified input and parameters,
/// z_t = f(x_t; θ_t), divides the arriving relevance R by the stabilised signed
/// sum of the z_t, s = R / (Σ±z_t + ε·sign), and passes back, per term,
/// x_t ⊙ J_tᵀ s — the layer's own backward pass with the modified parameters.
/// The input relevance is the sum over terms and groups weighted by the group's
/// coefficient and the term's sign. This is Zennit's `BasicHook` (Anders et al.
/// 2021) on Glassbox layers: any layer that is linear in its input takes any
/// rule, and every step runs on the backend of the tensors.
///
/// The modified parameters are the weight and bias a `LinearLayer`
/// names (convolutions and dense layers, `BayesianLayer`s
/// included); layers linear in their inputs without parameters (additions,
/// average pooling) keep theirs, so the rules reduce to their input modifiers
/// there. A Bayesian layer's weight and bias are its means, so LRP explains a
/// Bayesian network's mean network, the map its inference pass computes.
///
/// The standard rules are ``epsilon(_:)``, ``zero``, ``gamma(_:stabilizer:)``,
/// ``alphaBeta(alpha:beta:stabilizer:)``, ``zPlus(stabilizer:)``,
/// ``flat(stabilizer:)``, ``wSquare(stabilizer:)`` and
/// ``zBox(low:high:stabilizer:)``, with ``norm(stabilizer:)`` for layers without
/// parameters and AttnLRP's ``uniform(stabilizer:)`` for products of two computed values.
public struct LRPRule: BackwardRule, Hashable, CustomStringConvertible {
    /// A short name for summaries ("epsilon", "gamma", …).
    public var name: String
    /// The rule's parameters as text ("ε 0.1"), empty when it has none to show.
    public var details: String
    public var groups: [RelevanceGroup]

    public init(name: String, details: String = "", groups: [RelevanceGroup]) {
        self.name = name
        self.details = details
        self.groups = groups
    }

    /// The name with the parameters: "gamma (γ 0.25)".
    public var description: String { details.isEmpty ? name : "\(name) (\(details))" }

    public func propagate(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend
        let context = ForwardContext(backend: backend, mode: .inference, randomStream: RandomStream(seed: 0))
        var relevance = [Tensor?](repeating: nil, count: step.inputs.count)
        for group in groups {
            let terms = try group.terms.map { term in
                let inputs = try step.inputs.map { try term.modifiedInput($0) }
                let parameters = try term.modifiedParameters(step.parameters, of: step.layer)
                let forward = try step.layer.forward(inputs, parameters: parameters, context: context)
                return (
                    term: term, inputs: inputs, parameters: parameters, output: forward.output, saved: forward.saved
                )
            }
            var denominator = terms[0].output
            if terms[0].term.sign != 1 {
                denominator = try backend.affine(denominator, scale: terms[0].term.sign, shift: 0)
            }
            for term in terms.dropFirst() {
                denominator = try backend.axpy(alpha: term.term.sign, term.output, denominator)
            }
            var quotient = try backend.stabilizedDivide(step.gradient, denominator, epsilon: group.stabilizer)
            if let sign = group.outputSign {
                let signed = sign == .positive ? step.output : try backend.unary(step.output, .negate)
                quotient = try backend.binary(quotient, try backend.unary(signed, .positiveIndicator), .multiply)
            }
            for term in terms {
                let back = try step.layer.backward(
                    BackwardStep(
                        node: step.node, inputs: term.inputs, output: term.output, saved: term.saved,
                        gradient: quotient,
                        parameters: term.parameters, wantsParameterGradients: false))
                let weight = group.coefficient * term.term.sign
                for index in relevance.indices {
                    let share = try backend.binary(term.inputs[index], back.inputs[index], .multiply)
                    relevance[index] =
                        try relevance[index].map { try backend.axpy(alpha: weight, share, $0) }
                        ?? (weight == 1 ? share : backend.affine(share, scale: weight, shift: 0))
                }
            }
        }
        return LayerGradients(inputs: relevance.map { $0! })
    }
}
