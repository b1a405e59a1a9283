/// A pointwise nonlinearity.
public enum ActivationKind: Hashable, Sendable, Codable {
    /// max(0, x).
    case relu
    /// x for x > 0, slope·x otherwise.
    case leakyReLU(slope: Float)
    /// 1 / (1 + e^-x).
    case sigmoid
    /// tanh(x).
    case tanh
    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (ONNX `Erf`).
    case erf
    /// max(0, min(1, alpha·x + beta)), ONNX `HardSigmoid` (opset 6). PyTorch's `Hardsigmoid`
    /// exports alpha = 1/6, beta = 0.5; ONNX's defaults are alpha = 0.2, beta = 0.5.
    case hardSigmoid(alpha: Float, beta: Float)
    /// x·max(0, min(1, x/6 + 1/2)), ONNX `HardSwish` (opset 14) and PyTorch `Hardswish`,
    /// from Howard et al. 2019, "Searching for MobileNetV3".
    case hardSwish
    /// The Gaussian error linear unit of Hendrycks & Gimpel 2016, "Gaussian Error Linear
    /// Units (GELUs)" (ONNX `Gelu`, opset 20): x·Φ(x) = 0.5·x·(1 + erf(x/√2)), or with
    /// `tanhApproximation` (ONNX `approximate="tanh"`) 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    case gelu(tanhApproximation: Bool)
}

/// How gradient flows backward through a ReLU.
///
/// - `gradient`: the true derivative, g·[x > 0].
/// - `guided`: Guided Backpropagation (Springenberg et al. 2015, "Striving for
///   Simplicity"): g·[x > 0]·[g > 0].
/// - `deconvnet`: the Deconvnet of Zeiler & Fergus (2014): max(g, 0), ignoring x.
public enum ReLUBackwardMode: String, Hashable, Sendable, Codable, CaseIterable {
    case gradient, guided, deconvnet
}

/// An elementwise operation of two tensors with NumPy broadcasting.
public enum BinaryOperation: String, Hashable, Sendable, Codable, CaseIterable {
    case add, subtract, multiply, divide, maximum, minimum
    /// aᵇ with IEEE `pow` semantics (ONNX `Pow`, NumPy `power`): a negative base with a
    /// non-integer exponent gives NaN.
    case power
    /// 1 where a == b, else 0 (ONNX `Equal` as a float mask; NaN equals nothing).
    case equal
}

/// An elementwise operation of one tensor.
public enum UnaryOperation: String, Hashable, Sendable, Codable, CaseIterable {
    case negate, abs, square, sqrt, exp, log, reciprocal
    /// 1 where x > 0, else 0 (the indicator used by rules and masks).
    case positiveIndicator
    /// max(x, 0), the positive part x⁺ that LRP rules split inputs and weights into.
    case positivePart
    /// min(x, 0), the negative part x⁻ (so x = x⁺ + x⁻).
    case negativePart
    /// −1, 0 or 1 by the sign of x (ONNX `Sign`); NaN stays NaN.
    case sign
}

/// A reduction over axes.
public enum ReductionKind: String, Hashable, Sendable, Codable, CaseIterable {
    case sum, mean, max
}

/// A 2-D pooling operator.
public enum PoolingKind: Hashable, Sendable, Codable {
    /// The maximum over the window; padded positions never win.
    case max
    /// The mean over the window; padded positions count as zeros in the
    /// divisor when `countIncludePadding` is true (ONNX `count_include_pad`).
    case average(countIncludePadding: Bool)
}
