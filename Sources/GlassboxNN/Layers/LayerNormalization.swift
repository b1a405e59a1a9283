import GlassboxCore

/// Layer normalisation (Ba, Kiros & Hinton 2016, "Layer Normalization"; ONNX
/// `LayerNormalization`, opset 17; PyTorch's `LayerNorm`): each row is normalised
/// over its trailing axes `axis ..< rank` by its own mean and biased variance,
/// then scaled and shifted elementwise,
///
///     y = (x − μ) / √(σ² + ε) · scale + bias,  μ = mean(x),  σ² = mean((x − μ)²),
///
/// with μ and σ² taken over those axes, computed in the order of the ONNX
/// function body. `scale` and `bias` have the shape of the normalised axes.
///
/// Axis 0 (the rows) is never normalised across: `axis` is at least 1, or a
/// negative axis counting from the end that names one of the axes after the first.
/// The statistics are the sample's own, so this is not a
/// ``BatchNormalizationLayer`` and cannot be folded into a neighbour: it is of no
/// layer kind, and LRP passes relevance through it by its gradient.
public struct LayerNormalization: Layer, Hashable {
    /// The name under which the layer is stored in model files.
    public static let typeName = "layer-normalization"
    /// The first normalised axis (ONNX `axis`); the normalised axes run from it to the last.
    public var axis: Int
    /// Added to the variance before the square root (ONNX `epsilon`, 1e-5 by default there).
    public var epsilon: Float
    /// The extents of the normalised axes, and the shape of `scale` and `bias`.
    public var normalizedShape: Shape
    /// Whether the normalised values are multiplied by the parameter `scale`.
    public var hasScale: Bool
    /// Whether the parameter `bias` is added.
    public var hasBias: Bool

    /// A layer normalising axes `axis ..< rank`, whose extents are `normalizedShape`.
    public init(axis: Int, epsilon: Float = 1e-5, normalizedShape: Shape, hasScale: Bool = true, hasBias: Bool) {
        self.axis = axis
        self.epsilon = epsilon
        self.normalizedShape = normalizedShape
        self.hasScale = hasScale
        self.hasBias = hasBias
    }

    /// `scale` (initially one) when ``hasScale``, and `bias` (initially zero) when ``hasBias``,
    /// both of shape ``normalizedShape`` and trainable.
    public var parameterSpecs: [ParameterSpec] {
        (hasScale ? [ParameterSpec(name: "scale", shape: normalizedShape, initialization: .constant(1))] : [])
            + (hasBias ? [ParameterSpec(name: "bias", shape: normalizedShape, initialization: .constant(0))] : [])
    }

    /// The input's shape, once its trailing extents are checked against ``normalizedShape``.
    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "layer normalization")
        let first = axis < 0 ? axis + input.rank : axis
        guard first >= 1, first < input.rank else {
            throw GlassboxError.invalidModel(
                "layer normalization axis \(axis) of \(input) must name one of axes 1…\(input.rank - 1): "
                    + "axis 0 holds the rows and is never normalised across")
        }
        guard Array(input.dimensions[first...]) == normalizedShape.dimensions else {
            throw GlassboxError.shapeMismatch(
                "layer normalization over \(normalizedShape) does not match the axes \(first)… of \(input)")
        }
        guard epsilon >= 0, epsilon.isFinite else {
            throw GlassboxError.invalidModel("layer normalization epsilon \(epsilon) must be finite and non-negative")
        }
        return input
    }

    /// `tensor` as a matrix with one row per normalised group.
    func groups(_ tensor: Tensor) throws -> Tensor {
        let size = normalizedShape.count
        return try tensor.reshaped([size == 0 ? 0 : tensor.count / size, size])
    }

    /// The parameter `name` as a 1×M row.
    func row(_ name: String, _ parameters: [String: Tensor]) throws -> Tensor {
        try parameters.required(name, layer: "layer normalization").reshaped([1, normalizedShape.count])
    }

    /// x̂ = (x − μ)/√(σ² + ε) per group, and 1/√(σ² + ε) (one per group).
    func normalized(_ x: Tensor, backend: any Backend) throws -> (normalized: Tensor, inverseDeviation: Tensor) {
        let values = try groups(x)
        let mean = try backend.reduce(values, axes: [1], .mean, keepDimensions: true)
        let deviation = try backend.binary(values, mean, .subtract)
        let variance = try backend.reduce(try backend.unary(deviation, .square), axes: [1], .mean, keepDimensions: true)
        let inverse = try backend.unary(
            try backend.unary(try backend.affine(variance, scale: 1, shift: epsilon), .sqrt), .reciprocal)
        return (try backend.binary(deviation, inverse, .multiply), inverse)
    }

    /// The normalised, scaled and shifted input; saves x̂ and 1/√(σ² + ε).
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let (normalized, inverse) = try normalized(inputs[0], backend: backend)
        var output = normalized
        if hasScale { output = try backend.binary(output, try row("scale", parameters), .multiply) }
        if hasBias { output = try backend.binary(output, try row("bias", parameters), .add) }
        return LayerOutput(try output.reshaped(inputs[0].shape), saved: [normalized, inverse])
    }

    /// With ĝ = g·scale, per group of M values:
    /// ∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + ε); and, when asked,
    /// ∂scale = Σ_rows g·x̂ and ∂bias = Σ_rows g.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend
        let (normalized, inverse) =
            step.saved.count == 2
            ? (step.saved[0], step.saved[1]) : try normalized(step.inputs[0], backend: backend)
        let g = try groups(step.gradient)
        let scaled = hasScale ? try backend.binary(g, try row("scale", step.parameters), .multiply) : g
        let meanGradient = try backend.reduce(scaled, axes: [1], .mean, keepDimensions: true)
        let projection = try backend.reduce(
            try backend.binary(scaled, normalized, .multiply), axes: [1], .mean, keepDimensions: true)
        let centred = try backend.binary(scaled, meanGradient, .subtract)
        let inner = try backend.binary(centred, try backend.binary(normalized, projection, .multiply), .subtract)
        let inputGradient = try backend.binary(inner, inverse, .multiply).reshaped(step.inputs[0].shape)
        var gradients = LayerGradients(inputs: [inputGradient])
        if step.wantsParameterGradients {
            if hasScale {
                gradients.parameters["scale"] = try backend.reduce(
                    try backend.binary(g, normalized, .multiply), axes: [0], .sum, keepDimensions: false
                ).reshaped(normalizedShape)
            }
            if hasBias {
                gradients.parameters["bias"] = try backend.reduce(g, axes: [0], .sum, keepDimensions: false)
                    .reshaped(normalizedShape)
            }
        }
        return gradients
    }
}
