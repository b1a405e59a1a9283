import Foundation
import GlassboxCore
import GlassboxNN

extension ClassActivationMap {
    /// Score-CAM's α (N×C×1×1) for `inputs` (N×C×H×W) whose layer activations are `activation`
    /// (N×K×h×w): per sample, the K channels upsampled to H×W (`align_corners=True`), each scaled
    /// by its min and max to [0, 1] (`(a − min)/(max − min + 10⁻⁸)`), multiply the input; the
    /// target scores of the K masked inputs, run as chunks on the device, go through a softmax.
    func scoreWeights(inputs: Tensor, activation: Tensor, targets: [Int], model: Graph) throws -> Tensor {
        guard inputs.shape.rank == 4 else {
            throw GlassboxError.shapeMismatch("score-cam needs C×H×W inputs, got \(inputs.shape.sampleShape)")
        }
        let backend = inputs.backend
        let (channels, height, width) = (activation.shape[1], inputs.shape[2], inputs.shape[3])
        let pass = TargetPass(model: model, backward: false, batchSize: batchSize)
        let activations = try activation.toArray(), planeSize = activation.shape[2] * activation.shape[3]
        var weights = [Float]()
        for (index, target) in targets.enumerated() {
            let start = index * channels * planeSize
            var masks = Resampling.bilinearAlignedCorners.resize(
                Array(activations[start..<(start + channels * planeSize)]), planes: channels,
                height: activation.shape[2], width: activation.shape[3], newHeight: height, newWidth: width)
            for channel in 0..<channels {
                let plane = (channel * height * width)..<((channel + 1) * height * width)
                let low = masks[plane].min()!, high = masks[plane].max()!
                for element in plane { masks[element] = (masks[element] - low) / (high - low + 1e-8) }
            }
            let input = try backend.slice(inputs, axis: 0, range: index..<(index + 1))
            let channelMasks = try backend.upload(masks, shape: [channels, 1, height, width])
            var scores = [Float]()
            try pass.run(
                total: channels, target: { _ in target },
                makeBatch: { try backend.binary(input, try backend.slice(channelMasks, axis: 0, range: $0), .multiply) }
            ) { scores += $0.scores }
            let largest = scores.max()!
            let exponentials = scores.map { exp(Double($0 - largest)) }
            let total = exponentials.reduce(0, +)
            weights += exponentials.map { Float($0 / total) }
        }
        return try backend.upload(weights, shape: [targets.count, channels, 1, 1])
    }
}
