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
/// ``BatchNormalizationLayer`` and cannot be folded into a neighbour: it is a
/// ``SampleNormalizationLayer``, which LRP passes as AttnLRP does (the deviation
/// held constant, the ε rule on the rest).
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
        let deviation = try Self.addingPerRow(values, try backend.unary(mean, .negate), backend: backend)
        let variance = try backend.reduce(try backend.unary(deviation, .square), axes: [1], .mean, keepDimensions: true)
        let inverse = try backend.unary(
            try backend.unary(try backend.affine(variance, scale: 1, shift: epsilon), .sqrt), .reciprocal)
        return (try Self.multiplyingPerRow(deviation, inverse, backend: backend), inverse)
    }

    // The four helpers below give the values of `Backend.binary` on a G×M matrix and a G×1
    // column or a 1×M row, bit for bit up to the sign of zero (they return +0 for some
    // products of −0). They use the backend's per-channel operations instead of its
    // general broadcasting, which computes an index per element (on the CPU backend
    // 2–4× as long as the whole operation here).

    /// `values` (G×M) plus the G×1 column `shifts`, row by row: `Backend.addBias` on the
    /// matrix seen as 1×G×M, the same sums.
    static func addingPerRow(_ values: Tensor, _ shifts: Tensor, backend: any Backend) throws -> Tensor {
        let (rows, columns) = (values.shape[0], values.shape[1])
        guard values.count > 0 else { return try backend.binary(values, shifts, .add) }
        return try backend.addBias(try values.reshaped([1, rows, columns]), try shifts.reshaped([rows]))
            .reshaped(values.shape)
    }

    /// `values` (G×M) times the G×1 column `factors`, row by row: `Backend.batchNorm` on the
    /// matrix seen as 1×G×M with mean 0, variance 1, ε = 0 and offset 0, f·(x − 0)/√1 + 0.
    static func multiplyingPerRow(_ values: Tensor, _ factors: Tensor, backend: any Backend) throws -> Tensor {
        let (rows, columns) = (values.shape[0], values.shape[1])
        guard values.count > 0 else { return try backend.binary(values, factors, .multiply) }
        let zeros = try backend.filled([rows], value: 0), ones = try backend.filled([rows], value: 1)
        return try backend.batchNorm(
            try values.reshaped([1, rows, columns]), mean: zeros, variance: ones, scale: try factors.reshaped([rows]),
            offset: zeros, epsilon: 0
        ).reshaped(values.shape)
    }

    /// `values` (G×M) plus the 1×M row `shifts` in every row: `Backend.addBias` along axis 1.
    static func addingPerColumn(_ values: Tensor, _ shifts: Tensor, backend: any Backend) throws -> Tensor {
        guard values.count > 0 else { return try backend.binary(values, shifts, .add) }
        return try backend.addBias(values, try shifts.reshaped([values.shape[1]]))
    }

    /// `values` (G×M) times the 1×M row `factors` in every row: `Backend.batchNorm` along
    /// axis 1 with mean 0, variance 1, ε = 0 and offset 0.
    static func multiplyingPerColumn(_ values: Tensor, _ factors: Tensor, backend: any Backend) throws -> Tensor {
        let columns = values.shape[1]
        guard values.count > 0 else { return try backend.binary(values, factors, .multiply) }
        let zeros = try backend.filled([columns], value: 0), ones = try backend.filled([columns], value: 1)
        return try backend.batchNorm(
            values, mean: zeros, variance: ones, scale: try factors.reshaped([columns]), offset: zeros, epsilon: 0)
    }

    /// The normalised, scaled and shifted input; saves x̂ and 1/√(σ² + ε).
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let (normalized, inverse) = try normalized(inputs[0], backend: backend)
        var output = normalized
        if hasScale {
            output = try Self.multiplyingPerColumn(output, try row("scale", parameters), backend: backend)
        }
        if hasBias { output = try Self.addingPerColumn(output, try row("bias", parameters), backend: backend) }
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
        let scaled =
            hasScale ? try Self.multiplyingPerColumn(g, try row("scale", step.parameters), backend: backend) : g
        let meanGradient = try backend.reduce(scaled, axes: [1], .mean, keepDimensions: true)
        let projection = try backend.reduce(
            try backend.binary(scaled, normalized, .multiply), axes: [1], .mean, keepDimensions: true)
        let centred = try Self.addingPerRow(scaled, try backend.unary(meanGradient, .negate), backend: backend)
        let inner = try backend.binary(
            centred, try Self.multiplyingPerRow(normalized, projection, backend: backend), .subtract)
        let inputGradient = try Self.multiplyingPerRow(inner, inverse, backend: backend)
            .reshaped(step.inputs[0].shape)
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

extension LayerNormalization: SampleNormalizationLayer {
    /// With ĝ = g·scale per group of M values: (ĝ − mean(ĝ)) / √(σ² + ε), the gradient
    /// of (x − μ)/√(σ² + ε)·scale + bias with √(σ² + ε) held constant (as lxt's
    /// `layer_norm` detaches it).
    public func inputGradientAtConstantDeviation(_ step: BackwardStep) throws -> Tensor {
        let backend = step.backend
        let inverse =
            step.saved.count == 2
            ? step.saved[1] : try normalized(step.inputs[0], backend: backend).inverseDeviation
        let g = try groups(step.gradient)
        let scaled = hasScale ? try backend.binary(g, try row("scale", step.parameters), .multiply) : g
        let mean = try backend.reduce(scaled, axes: [1], .mean, keepDimensions: true)
        return try backend.binary(try backend.binary(scaled, mean, .subtract), inverse, .multiply)
            .reshaped(step.inputs[0].shape)
    }
}
