import GlassboxCore
import GlassboxNN

/// How many samples one chunk of batched explanation work may hold.
///
/// A sample costs the sum of every node's output (kept for the backward pass),
/// about as much again for the gradients, and its share of the method's own
/// buffers: three times the activations with backward, once without. A chunk
/// uses at most a quarter of the backend's memory and at most
/// ``maximumBytes``, so a ResNet-18 at 224×224 stays near a few dozen samples
/// per chunk on the CPU. `BatchChunking` halves a chunk that still runs out of
/// device memory.
public enum MemoryBudget {
    /// The most bytes one chunk may use, whatever the device: 1.5 GiB.
    public static let maximumBytes = 3 << 29

    /// The bytes one sample of `model` needs in a forward (and backward) pass.
    public static func bytesPerSample(for model: Graph, backward: Bool) -> Int {
        let activations = model.shapes.values.reduce(0) { $0 + $1.count }
        return activations * MemoryLayout<Float>.size * (backward ? 3 : 1)
    }

    /// The samples per chunk for `model` on its backend.
    public static func samplesPerChunk(for model: Graph, backward: Bool) -> Int {
        let perSample = bytesPerSample(for: model, backward: backward)
        let fitting = BatchChunking.samplesFitting(model.backend, bytesPerSample: perSample, fraction: 0.25)
        return max(1, min(fitting, maximumBytes / max(perSample, 1)))
    }
}
