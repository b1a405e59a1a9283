import GlassboxCore
import GlassboxNN

/// Which LRP rule each node of a model gets, by its layer's kind (the protocols
/// of GlassboxNN's LayerKinds.swift): the rule for convolutions, the rule for
/// dense layers, a rule for the first of them (the layer that reads the input),
/// and the fixed treatment of the other kinds, as Zennit's composites assign them
/// (Anders et al. 2021; Montavon et al. 2019, §10 on choosing rules by depth):
///
/// - convolutions (`ConvolutionLayer`: `Conv2D`,
///   `BayesianConv2D`): ``convolution``;
/// - fully connected layers (`FullyConnectedLayer`: `Dense`,
///   `BayesianDense`): ``dense``;
/// - additions (residual connections, `AdditionLayer`), average
///   pooling and global average pooling (`PoolingLayer`s that
///   average): ``LRPRule/norm(stabilizer:)``;
/// - max pooling: ``maxPooling`` (the gradient by default);
/// - elementwise activations (`ElementwiseActivationLayer`: ReLU,
///   PReLU, ELU, clip, sigmoid, tanh, erf, GELU, hard swish, hard sigmoid and the
///   other pointwise ones) and any batch normalisation left after folding
///   (`BatchNormalizationLayer`): ``PassRule``, AttnLRP's identity rule;
/// - layer normalisations (`SampleNormalizationLayer`: `LayerNormalization`):
///   ``SampleNormalizationRule`` (the deviation held constant, ε on the rest);
/// - products of two computed values (`BilinearLayer` whose
///   `multipliesInputs`: attention's `BatchedMatMul`s, an `Arithmetic` multiplying
///   two graph values): ``LRPRule/uniform(stabilizer:)``, half of the ε-rule relevance
///   to each operand;
/// - softmax inside the network (attention weights; not log-softmax): ``SoftmaxRule``;
/// - `Arithmetic` with a constant operand: when it is affine in its input (adding or
///   subtracting a constant, as a bias or position embedding; multiplying by one, as
///   attention's 1/√d or a layer scale; dividing by one) ``LRPRule/norm(stabilizer:)``,
///   the ε rule, which passes a scaling unchanged and lets an added constant keep its
///   share as a bias does; otherwise (c/x, powers) ``PassRule``, as for any function of
///   one value. An `Arithmetic` adding or subtracting two graph values gets the norm
///   rule too, as `AdditionLayer`s do;
/// - reshapes, padding, concatenation, transposes, gathers and dropout: the gradient,
///   which moves relevance without changing it; so does every other layer (a constant
///   repeated per sample, `SampleConstant`, keeps the relevance that reaches it).
///
/// These are the rules of AttnLRP (Achtibat et al. 2024, "AttnLRP: Attention-Aware
/// Layer-Wise Relevance Propagation for Transformers", as its implementation lxt computes
/// them) for the layers of a transformer: with ``epsilon(epsilon:stabilizer:)``, ε on
/// every convolution and dense layer, a composite is AttnLRP. LRP first fuses an exact
/// GELU exported in pieces back into one activation (`Graph.fusingGELU()`), so it
/// takes the identity rule as one function.
///
/// A Bayesian network is explained through its mean weights, as its inference
/// pass computes (see ``LRPRule``).
///
/// ``overrides`` come first: user rules by node name or layer kind (any
/// `Composite.Selector`). The standard composites are ``epsilon(epsilon:stabilizer:)``,
/// ``epsilonPlus(epsilon:stabilizer:)``,
/// ``epsilonAlphaBeta(epsilon:alpha:beta:stabilizer:)``, ``epsilonPlusFlat(epsilon:stabilizer:)``
/// and ``epsilonGammaBox(low:high:epsilon:gamma:stabilizer:)``.
public struct LRPComposite: Sendable, CustomStringConvertible {
    /// A short name for summaries ("epsilon-plus").
    public var name: String
    /// The rule of convolutions (`ConvolutionLayer`).
    public var convolution: LRPRule
    /// The rule of fully connected layers (`FullyConnectedLayer`).
    public var dense: LRPRule
    /// The rule of the first `LinearLayer` node (convolution or dense) in topological order, when set.
    public var firstLayer: LRPRule?
    /// How relevance passes max pooling.
    public var maxPooling: MaxPoolingRelevance
    /// The stabiliser of the norm rules of additions and pooling.
    public var stabilizer: Float
    /// Rules chosen by the user, ahead of all others; the first matching selector wins.
    public var overrides: [(selector: Composite.Selector, rule: any BackwardRule)]

    /// A composite with these rules; the standard ones are its static functions.
    public init(
        name: String, convolution: LRPRule, dense: LRPRule, firstLayer: LRPRule? = nil,
        maxPooling: MaxPoolingRelevance = .winnerTakeAll, stabilizer: Float = LRPRule.defaultStabilizer,
        overrides: [(selector: Composite.Selector, rule: any BackwardRule)] = []
    ) {
        self.name = name
        self.convolution = convolution
        self.dense = dense
        self.firstLayer = firstLayer
        self.maxPooling = maxPooling
        self.stabilizer = stabilizer
        self.overrides = overrides
    }

    /// The name and the rules: "epsilon-plus: convolutions z-plus, dense epsilon (ε 1e-06), max pooling winner-take-all".
    public var description: String {
        let first = firstLayer.map { "first layer \($0), " } ?? ""
        let extra = overrides.isEmpty ? "" : ", \(overrides.count) user rules"
        return
            "\(name): \(first)convolutions \(convolution), dense \(dense), max pooling \(maxPooling.rawValue)\(extra)"
    }

    /// ε on convolutions and dense layers: with the fixed treatment of the other kinds,
    /// AttnLRP (Achtibat et al. 2024) as lxt computes it for a vision transformer whose
    /// patch embedding is a convolution (lxt's ε rule on every linear map, eq. 8 of the
    /// paper; lxt's `LinearEpsilon` defaults to ε = 1e-6).
    public static func epsilon(epsilon: Float = 1e-6, stabilizer: Float = LRPRule.defaultStabilizer) -> LRPComposite {
        LRPComposite(
            name: "epsilon", convolution: .epsilon(epsilon), dense: .epsilon(epsilon), stabilizer: stabilizer)
    }

    /// z⁺ on convolutions, ε on dense layers (Zennit's `EpsilonPlus`).
    public static func epsilonPlus(epsilon: Float = 1e-6, stabilizer: Float = LRPRule.defaultStabilizer) -> LRPComposite
    {
        LRPComposite(
            name: "epsilon-plus", convolution: .zPlus(stabilizer: stabilizer), dense: .epsilon(epsilon),
            stabilizer: stabilizer)
    }

    /// α β on convolutions (α = 2, β = 1 by default), ε on dense layers (Zennit's `EpsilonAlpha2Beta1`).
    public static func epsilonAlphaBeta(
        epsilon: Float = 1e-6, alpha: Float = 2, beta: Float = 1,
        stabilizer: Float = LRPRule.defaultStabilizer
    ) throws -> LRPComposite {
        LRPComposite(
            name: "epsilon-alpha\(alpha.compactText)-beta\(beta.compactText)",
            convolution: try .alphaBeta(alpha: alpha, beta: beta, stabilizer: stabilizer), dense: .epsilon(epsilon),
            stabilizer: stabilizer)
    }

    /// ``epsilonPlus(epsilon:stabilizer:)`` with the flat rule on the first layer (Zennit's `EpsilonPlusFlat`).
    public static func epsilonPlusFlat(epsilon: Float = 1e-6, stabilizer: Float = LRPRule.defaultStabilizer)
        -> LRPComposite
    {
        LRPComposite(
            name: "epsilon-plus-flat", convolution: .zPlus(stabilizer: stabilizer), dense: .epsilon(epsilon),
            firstLayer: .flat(stabilizer: stabilizer), stabilizer: stabilizer)
    }

    /// z^B on the first layer with the input's bounds, γ on convolutions, ε on
    /// dense layers (Zennit's `EpsilonGammaBox`; Montavon et al. 2019's
    /// recommended composite). Zennit gives z^B only to a first *convolution*;
    /// here a model whose first layer is dense gets it too.
    public static func epsilonGammaBox(
        low: [Float], high: [Float], epsilon: Float = 1e-6, gamma: Float = 0.25,
        stabilizer: Float = LRPRule.defaultStabilizer
    ) throws -> LRPComposite {
        LRPComposite(
            name: "epsilon-gamma-box", convolution: .gamma(gamma, stabilizer: stabilizer), dense: .epsilon(epsilon),
            firstLayer: try .zBox(low: low, high: high, stabilizer: stabilizer), stabilizer: stabilizer)
    }

    /// The per-node rules for `graph`.
    public func composite(for graph: Graph) -> Composite {
        var mapping = overrides
        if let firstLayer, let first = graph.nodes.first(where: { $0.layer is any LinearLayer }) {
            mapping.append((.name(first.name), firstLayer))
        }
        let norm = LRPRule.norm(stabilizer: stabilizer)
        mapping += [
            (.kind(ConvolutionLayer.self), convolution),
            (.kind(FullyConnectedLayer.self), dense),
            (.kind(AdditionLayer.self), norm),
            (.kind(PoolingLayer.self) { $0.pooling == .max }, maxPooling.rule(stabilizer: stabilizer)),
            (.kind(PoolingLayer.self), norm),
            (.kind(ElementwiseActivationLayer.self), PassRule()),
            (.kind(BatchNormalizationLayer.self), PassRule()),
            (.kind(SampleNormalizationLayer.self), SampleNormalizationRule(stabilizer: stabilizer)),
            (.kind(BilinearLayer.self) { $0.multipliesInputs }, LRPRule.uniform(stabilizer: stabilizer)),
            (.kind(Softmax.self) { !$0.logarithm }, SoftmaxRule()),
            (.kind(Arithmetic.self) { Self.isAffine($0) }, norm),
            (.kind(Arithmetic.self) { $0.constantShape != nil }, PassRule()),
        ]
        return Composite(mapping)
    }

    /// Whether `arithmetic` is affine in its computed inputs: it adds or subtracts (a
    /// constant or a second graph value), multiplies by a constant, or divides by one.
    static func isAffine(_ arithmetic: Arithmetic) -> Bool {
        switch arithmetic.operation {
        case .add, .subtract: true
        case .multiply: arithmetic.constantShape != nil
        case .divide: arithmetic.constantShape != nil && !arithmetic.constantFirst
        default: false
        }
    }
}
