import GlassboxCore
import GlassboxNN

/// Guided Grad-CAM (Selvaraju et al. 2017, §3.2): Guided Backpropagation times
/// the Grad-CAM map (with ReLU) upsampled to the input, broadcast over the
/// channels, as Captum's `GuidedGradCam`. Captum upsamples with nearest
/// neighbours by default; Glassbox defaults to bilinear, as the paper and
/// pytorch-grad-cam do (pass `.nearest` for Captum's numbers).
public struct GuidedGradCAM: AttributionMethod {
    public var name: String { "guided-grad-cam" }
    /// The Grad-CAM layer; nil takes the last convolution.
    public var layer: String?
    /// How the Grad-CAM map is brought to the input's size.
    public var upsampling: Resampling
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// Guided Grad-CAM at `layer`.
    public init(layer: String? = nil, upsampling: Resampling = .bilinear, batchSize: Int? = nil) {
        self.layer = layer
        self.upsampling = upsampling
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        let guided = try ModifiedReLUGradient(.guided, batchSize: batchSize).attribute(
            inputs, targets: targets, model: model)
        let cam = try ClassActivationMap(
            .gradCAM, layer: layer, relu: true, upsampling: upsampling, batchSize: batchSize
        )
        .attribute(inputs, targets: targets, model: model)
        return Attribution(values: try inputs.backend.binary(guided.values, cam.values, .multiply))
    }
}
