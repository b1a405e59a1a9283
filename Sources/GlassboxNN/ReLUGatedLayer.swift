import GlassboxCore

/// A layer whose input gradient can pass the backward pass of the ReLU that feeds
/// it in the same kernel (`Backend.conv2dBackwardData(_:weight:inputShape:window:groups:through:)`,
/// `Backend.pool2dBackward(_:input:kind:window:through:)`), so the gradient at the
/// ReLU's output is never stored. The ``FusionPlan`` finds them when the graph is built;
/// ``Graph/backward(_:seeds:composite:parameterGradients:stoppingAt:fusingReLUs:)`` fuses them when asked to.
public protocol ReLUGatedLayer: Layer {
    /// ``Layer/backward(_:)`` with the input gradient passed back through `gate`.
    func backward(_ step: BackwardStep, through gate: ReLUBackwardGate) throws -> LayerGradients
}
