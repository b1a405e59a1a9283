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
