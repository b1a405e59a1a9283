import GlassboxCore

/// Local response normalisation across channels (Krizhevsky et al. 2012; ONNX `LRN`):
/// y = x · d^−β with d = bias + α/size · Σ x² over the `size` channels around each
/// one (⌊(size−1)/2⌋ before, ⌈(size−1)/2⌉ after).
///
/// The channel-window sum is an average pooling over the channel axis (the
/// input viewed as N×1×C×(H·W)) times `size`, so both backends compute it with
/// their pooling operations; its adjoint is the pooling's backward pass.
public struct LocalResponseNormalization: Layer, Hashable {
    public static let typeName = "local-response-normalization"
    public var size: Int
    public var alpha: Float
    public var beta: Float
    public var bias: Float

    public init(size: Int, alpha: Float = 1e-4, beta: Float = 0.75, bias: Float = 1) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.bias = bias
    }

    var window: Window2D {
        Window2D(kernelHeight: size, kernelWidth: 1, padTop: (size - 1) / 2, padBottom: size / 2)
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "LRN")
        guard input.rank >= 3, size > 0, bias > 0 else {
            throw GlassboxError.invalidModel(
                "LRN of size \(size) and bias \(bias) on \(input) (needs N×C×…, size > 0, bias > 0)")
        }
        return input
    }

    /// Σ over the channel window of `values` (shaped like the input).
    func windowSum(_ values: Tensor, backend: any Backend) throws -> Tensor {
        let planes = try values.reshaped([values.shape[0], 1, values.shape[1], values.shape.stride(of: 1)])
        let mean = try backend.pool2d(planes, kind: .average(countIncludePadding: true), window: window)
        return try backend.affine(mean, scale: Float(size), shift: 0).reshaped(values.shape)
    }

    /// d = bias + α/size · Σ x².
    func denominator(_ x: Tensor, backend: any Backend) throws -> Tensor {
        try backend.affine(
            try windowSum(try backend.unary(x, .square), backend: backend), scale: alpha / Float(size), shift: bias)
    }

    /// d^exponent, as exp(exponent · log d) (d ≥ bias > 0).
    func power(_ d: Tensor, _ exponent: Float, backend: any Backend) throws -> Tensor {
        try backend.unary(try backend.affine(try backend.unary(d, .log), scale: exponent, shift: 0), .exp)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let d = try denominator(inputs[0], backend: backend)
        return LayerOutput(try backend.binary(inputs[0], try power(d, -beta, backend: backend), .multiply), saved: [d])
    }

    /// dx = g·d^−β − (2αβ/size)·x·Σ*(g·x·d^(−β−1)), where Σ* is the adjoint of the window sum.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, x = step.inputs[0], g = step.gradient
        let d = try step.saved.first ?? denominator(x, backend: backend)
        let direct = try backend.binary(g, try power(d, -beta, backend: backend), .multiply)
        let inner = try backend.binary(
            try backend.binary(g, x, .multiply), try power(d, -beta - 1, backend: backend), .multiply)
        // Σ* = size · (average-pool backward); the size cancels against α/size.
        let planes = try inner.reshaped([inner.shape[0], 1, inner.shape[1], inner.shape.stride(of: 1)])
        let adjoint = try backend.pool2dBackward(
            planes, input: planes, kind: .average(countIncludePadding: true), window: window)
        let spread = try backend.affine(try adjoint.reshaped(x.shape), scale: -2 * alpha * beta, shift: 0)
        return LayerGradients(inputs: [try backend.binary(direct, try backend.binary(x, spread, .multiply), .add)])
    }
}
