import GlassboxCore

/// A layer that can be the first of a graph run on a `NoisyBatch` without the
/// noisy copies ever being stored: it draws the noise where it reads its input
/// (the `Backend.conv2d` of a `NoisyBatch`), and it
/// reduces its input gradient over the copies as it computes it
/// (`Backend.conv2dBackwardDataStatistics(_:weight:inputShape:window:groups:absolute:)`),
/// which is all SmoothGrad keeps of them (Smilkov et al. 2017).
public protocol NoisyInputLayer: Layer {
    /// ``Layer/forward(_:parameters:context:)`` on the noisy copies `batch`.
    func forward(_ batch: NoisyBatch, parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput

    /// The statistics over the batch of the gradient (of its absolute value when
    /// `absolute`) at the layer's input of shape `inputShape`, given `gradient` at its output.
    func inputGradientStatistics(
        _ gradient: Tensor, inputShape: Shape, parameters: [String: Tensor],
        absolute: Bool
    ) throws -> SampleStatistics
}
