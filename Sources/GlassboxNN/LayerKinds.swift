import GlassboxCore

// Layer kinds: what a layer computes, as protocols its type conforms to, so that
// rules and composites choose by kind (``Composite/Selector/kind(_:where:)``)
// rather than by type name, and a new layer type joins them by conforming. They
// are Zennit's `zennit.types` (Anders et al. 2021, "Software for dataset-wide XAI:
// from local explanations to global insights with Zennit, CoRelAy, and ViRelAy"):
// its composites map `Convolution`, `Linear`, `Activation`, `BatchNorm`, `AvgPool`
// and its `Sum` layer to LRP rules the same way.

/// A layer affine in its one input, y = f(x; W) + b, with f linear in x and in
/// the weight W: the layers every LRP rule with weight and bias modifiers applies
/// to (ε, γ, α β, z⁺, flat, w², z^B; Montavon et al. 2019, "Layer-wise relevance
/// propagation: an overview", eq. 9). Zennit's `Linear` kind.
///
/// What the rules rely on: in ``ForwardMode/inference`` mode,
/// ``Layer/forward(_:parameters:context:)`` computes f(x; W) + b with
/// W = `parameters[weightParameter]` and b = `parameters[biasParameter]` (no b
/// when nil), and ``Layer/backward(_:)`` after that pass computes the input
/// gradient fᵀ(g; W) with the same W. A rule evaluates the layer with a modified
/// W and b by handing it modified parameters under these names.
///
/// A ``BayesianLayer``'s inference pass is its mean network, y = f(x; μ_w) + μ_b,
/// so its weight and bias are the means: LRP explains a Bayesian network's mean
/// network. Refined by ``ConvolutionLayer`` and ``FullyConnectedLayer``.
public protocol LinearLayer: Layer {
    /// The short name of the weight W among the layer's parameters ("weight", or "weightMean").
    var weightParameter: String { get }
    /// The short name of the bias b, nil when the layer has none.
    var biasParameter: String? { get }
}

/// A convolution: a ``LinearLayer`` whose f slides one kernel over the input
/// (``Conv2D``, ``BayesianConv2D``). Zennit's `Convolution` kind, which its
/// composites give their convolution rule.
public protocol ConvolutionLayer: LinearLayer {}

/// A fully connected layer: a ``LinearLayer`` whose f multiplies by a dense
/// weight matrix, every output reading every input (``Dense``, ``BayesianDense``).
/// PyTorch's `Linear`, which Zennit's composites give their dense-layer rule.
public protocol FullyConnectedLayer: LinearLayer {}

/// A pointwise nonlinearity: each output is a function of the input element at
/// its position (``Activation``, ``PReLU``, ``ELU``, ``Clip``). LRP passes
/// relevance through it unchanged (Montavon et al. 2019; Zennit's `Activation`
/// kind, given the `Pass` rule).
public protocol ElementwiseActivationLayer: Layer {}

/// A batch normalisation: each channel normalised by statistics stored with the
/// layer, then scaled and shifted, an affine map per channel at inference
/// (``BatchNorm``). LRP folds it into the convolution or dense layer before it
/// where it can (``Graph/foldingBatchNorm()``) and passes relevance through one
/// left unfolded (Zennit's `BatchNorm` kind, given the `Pass` rule, and its
/// merging canonizer). Normalisations by the statistics of the sample itself
/// (layer normalisation) are not of this kind.
public protocol BatchNormalizationLayer: Layer {}

/// A layer that pools windows of its input, each output the maximum or the mean
/// of its window (``Pool2D``, ``GlobalAveragePool``); it says which. Zennit's
/// `MaxPool` and `AvgPool` kinds: LRP gives average (sum) pooling, linear in its
/// input without parameters, the norm rule, and max pooling its own treatment.
public protocol PoolingLayer: Layer {
    /// How each window is reduced.
    var pooling: PoolingKind { get }
}

/// A layer that adds its inputs elementwise, the junction of a residual
/// connection (``Add``): linear in its inputs, without parameters. Zennit's `Sum`
/// layer, which its composites give the norm rule.
public protocol AdditionLayer: Layer {}

/// A normalisation by statistics of the sample itself: each group of values is
/// centred, divided by its own standard deviation, then scaled and shifted
/// elementwise (``LayerNormalization``). Unlike a ``BatchNormalizationLayer`` it
/// cannot be folded into a neighbour.
///
/// LRP follows AttnLRP (Achtibat et al. 2024, "AttnLRP: Attention-Aware Layer-Wise
/// Relevance Propagation for Transformers", Proposition 3.4): the division by the
/// standard deviation takes the identity rule, which amounts to holding the
/// deviation constant, and the ε rule is applied to the affine map that remains.
/// The layer provides the input gradient of that map.
public protocol SampleNormalizationLayer: Layer {
    /// The input gradient of the layer with its standard deviation held constant,
    /// for the output gradient `step.gradient` at the input `step.inputs[0]`: the
    /// true gradient without the terms that differentiate the deviation.
    func inputGradientAtConstantDeviation(_ step: BackwardStep) throws -> Tensor
}

/// A product of two computed values, linear in each while the other is held
/// fixed: attention's matrix products Q·Kᵀ and A·V (``BatchedMatMul``), or an
/// elementwise product of two graph values (``Arithmetic`` multiplying two
/// computed inputs: a gate, GELU's x·Φ(x) exported in pieces). The layer says
/// whether it is one: an ``Arithmetic`` layer that adds, or that reads a
/// constant, is not.
///
/// LRP gives such products AttnLRP's uniform rule (Achtibat et al. 2024,
/// Propositions 3.2 and 3.3): the ε rule on the sum of products, then half the
/// relevance to each operand.
public protocol BilinearLayer: Layer {
    /// Whether the layer computes a product of its two computed inputs.
    var multipliesInputs: Bool { get }
}
