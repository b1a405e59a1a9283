/// A ReLU that a gradient passes through right after the operation computing it:
/// the fused operations (``Backend/conv2dBackwardData(_:weight:inputShape:window:groups:through:)``,
/// ``Backend/pool2dBackward(_:input:kind:window:through:)``) apply
/// ``Backend/reluBackward(_:input:mode:)`` as they write each element, so the
/// ungated gradient is never stored and read again.
public struct ReLUBackwardGate: Sendable {
    /// The ReLU's input x, shaped as the gradient.
    public let input: Tensor
    /// How the ReLU passes gradients (the gradient, guided backprop or deconvnet).
    public let mode: ReLUBackwardMode

    /// The gate of a ReLU whose input was `input`, passing gradients by `mode`.
    public init(input: Tensor, mode: ReLUBackwardMode) {
        self.input = input
        self.mode = mode
    }

    /// Throws unless the gate's input has the shape of the gradient it gates.
    public func check(_ gradient: Shape) throws {
        guard input.shape == gradient else {
            throw GlassboxError.shapeMismatch("a ReLU gate on \(input.shape) cannot gate a gradient of \(gradient)")
        }
    }
}
