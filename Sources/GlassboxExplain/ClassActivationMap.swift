import GlassboxCore
import GlassboxNN

/// Class activation maps: a convolutional layer's channels A_c weighted by a
/// per-channel weight α_c and summed, Σ_c α_c·A_c, optionally through a ReLU,
/// at the layer's resolution (N×1×h×w) or upsampled to the input's.
///
/// The ``Weighting`` picks the method:
/// - CAM (Zhou, Khosla, Lapedriza, Oliva & Torralba 2016, "Learning deep
///   features for discriminative localization"): α_c is the weight of the
///   target class in the dense layer after global average pooling.
/// - Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: visual explanations from deep
///   networks via gradient-based localization"): α_c is the spatial mean of
///   the target score's gradient at the layer, as Captum's `LayerGradCam`.
/// - Grad-CAM++ (Chattopadhay, Sarkar, Howlader & Balasubramanian 2018):
///   α_c = Σ_ij relu(g_ij)·g_ij² / (2g_ij² + Σ_ab A_ab·g_ij³ + 10⁻⁶), as
///   pytorch-grad-cam's `GradCAMPlusPlus` before its min–max scaling.
/// - Score-CAM (Wang, Wang, Du, Yang, Zhang, Ding, Mardziel & Hu 2020, "Score-CAM:
///   score-weighted visual explanations for convolutional neural networks"): no gradient; each
///   channel, upsampled to the input's size and scaled to [0, 1], multiplies the input, and α is
///   the softmax over the channels of the target scores of those masked inputs — as
///   pytorch-grad-cam's `ScoreCAM` (activations upsampled with `align_corners=True`, raw target
///   scores), all channels of a sample run as batches on the device.
public struct ClassActivationMap: AttributionMethod {
    /// How the channels are weighted.
    public enum Weighting: String, Sendable, CaseIterable, Codable {
        case cam = "cam"
        case gradCAM = "grad-cam"
        case gradCAMPlusPlus = "grad-cam++"
        case scoreCAM = "score-cam"
    }

    public var name: String { weighting.rawValue }
    public var weighting: Weighting
    /// The node whose output is weighted — its name, its source name (an ONNX node name as
    /// Netron shows it) or a unique suffix of either, as `Graph.nodeName(matching:)` finds
    /// it; nil takes the output of the last
    /// convolution block — the last convolution followed through the batch
    /// normalisations, residual sums and activations it alone feeds, as pytorch-grad-cam's
    /// usual target layers are (`layer4[-1]` of a ResNet: the block's output after its sum
    /// and ReLU). A pre-activation
    /// convolution output is mostly switched off by the ReLU after the sum, so
    /// its maps come out nearly empty. For CAM, nil takes the node feeding the
    /// global average pooling.
    public var layer: String?
    /// Whether the map goes through a ReLU (Grad-CAM's default; Captum's `relu_attributions`).
    public var relu: Bool
    /// How to upsample the map to the input's H×W; nil keeps the layer's resolution.
    public var upsampling: Resampling?
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// A class activation map of `layer` (nil: the default layer).
    public init(
        _ weighting: Weighting, layer: String? = nil, relu: Bool = true, upsampling: Resampling? = nil,
        batchSize: Int? = nil
    ) {
        self.weighting = weighting
        self.layer = layer
        self.relu = relu
        self.upsampling = upsampling
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let layer = try resolvedLayer(in: model)
        let classWeights = weighting == .cam ? try camHead(model: model, layer: layer) : nil
        let pass = TargetPass(
            model: model, backward: weighting != .cam && weighting != .scoreCAM, layer: layer, batchSize: batchSize)
        let maps = try pass.joined(inputs, targets: targets) { chunk in
            let activation = chunk.layerActivation!
            let chunkTargets = chunk.range.map { targets[$0] }
            let weights: Tensor
            if let classWeights {
                weights = try classWeights.weights(for: chunkTargets, backend: activation.backend)
            } else if weighting == .scoreCAM {
                weights = try self.scoreWeights(
                    inputs: chunk.inputs, activation: activation, targets: chunkTargets, model: model)
            } else {
                weights = try self.gradientWeights(activation: activation, gradient: chunk.layerGradient!)
            }
            return try self.weightedSum(activation, weights: weights)
        }
        guard let upsampling else { return Attribution(values: maps) }
        guard inputs.shape.rank == 4 else {
            throw GlassboxError.shapeMismatch(
                "upsampling a class activation map needs C×H×W inputs, got \(inputs.shape.sampleShape)")
        }
        let (height, width) = (inputs.shape[2], inputs.shape[3])
        let upsampled = upsampling.resize(
            try maps.toArray(), planes: maps.shape[0], height: maps.shape[2], width: maps.shape[3],
            newHeight: height, newWidth: width)
        return Attribution(values: try inputs.backend.upload(upsampled, shape: [inputs.shape[0], 1, height, width]))
    }

    /// The layer to weight: the one asked for, which must give N×C×h×w, or the default.
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` when ``layer`` names no node, several, or
    ///   one whose output is not N×C×h×w; `GlassboxError.invalidModel(_:)` when the model has no
    ///   default layer.
    func resolvedLayer(in model: Graph) throws -> String {
        let name: String
        if let layer {
            name = try model.nodeName(matching: layer)
            guard model.shapes[name]!.rank == 4 else {
                throw GlassboxError.invalidArgument(
                    "\(self.name) needs a layer with N×C×h×w output; '\(name)' gives \(model.shapes[name]!)")
            }
        } else if weighting == .cam {
            name = try CAMHead.poolingInput(in: model)
        } else {
            guard var last = model.nodes.last(where: { $0.layer is any ConvolutionLayer }) else {
                throw GlassboxError.invalidModel(
                    "the model has no convolution for \(self.name); name a layer with N×C×h×w output")
            }
            while case let consumers = model.consumers(of: last.name), consumers.count == 1,
                consumers[0].layer is any ElementwiseActivationLayer
                    || consumers[0].layer is any BatchNormalizationLayer || consumers[0].layer is any AdditionLayer
            {
                last = consumers[0]
            }
            name = last.name
        }
        guard model.shapes[name]!.rank == 4 else {
            throw GlassboxError.invalidModel(
                "\(self.name) needs a layer with N×C×h×w output; '\(name)' gives \(model.shapes[name]!)")
        }
        return name
    }

    /// CAM's class weights behind `layer`; a ``layer`` the user named that has no pooled
    /// dense head behind it is a wrong argument, not a wrong model.
    func camHead(model: Graph, layer: String) throws -> CAMHead {
        do {
            return try CAMHead(model: model, layer: layer)
        } catch GlassboxError.invalidModel(let message) where self.layer != nil {
            throw GlassboxError.invalidArgument(message)
        }
    }

    /// α (N×C×1×1) from the gradient at the layer: its spatial mean, or Grad-CAM++'s weights.
    func gradientWeights(activation: Tensor, gradient: Tensor) throws -> Tensor {
        let backend = gradient.backend
        switch weighting {
        case .gradCAM, .cam, .scoreCAM:
            return try backend.reduce(gradient, axes: [2, 3], .mean, keepDimensions: true)
        case .gradCAMPlusPlus:
            let square = try backend.unary(gradient, .square)
            let cube = try backend.binary(square, gradient, .multiply)
            let activationSums = try backend.reduce(activation, axes: [2, 3], .sum, keepDimensions: true)
            let denominator = try backend.binary(
                try backend.affine(square, scale: 2, shift: 1e-6),
                try backend.binary(activationSums, cube, .multiply), .add)
            let alphas = try backend.binary(square, denominator, .divide)
            let positive = try backend.activation(gradient, .relu)
            return try backend.reduce(
                try backend.binary(positive, alphas, .multiply), axes: [2, 3], .sum, keepDimensions: true)
        }
    }

    /// Σ_c α_c·A_c (N×1×h×w), through a ReLU when asked.
    func weightedSum(_ activation: Tensor, weights: Tensor) throws -> Tensor {
        let backend = activation.backend
        let map = try backend.reduce(
            try backend.binary(activation, weights, .multiply), axes: [1], .sum, keepDimensions: true)
        return relu ? try backend.activation(map, .relu) : map
    }
}
