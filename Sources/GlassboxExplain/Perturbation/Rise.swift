import GlassboxCore
import GlassboxNN

/// RISE (Petsiuk, Das & Saenko 2018, "RISE: randomized input sampling for explanation of
/// black-box models"): the input is multiplied by N random smooth masks, and the saliency of each
/// pixel is the mean target score over the masks weighted by the mask's value there, divided by
/// the keep probability: S = Σₙ f(x ⊙ Mₙ)·Mₙ / (N·p).
///
/// The masks are those of the authors' `generate_masks` (github.com/eclique/RISE): a grid of
/// `cells`×`cells` Bernoulli(p) values upsampled bilinearly to (cells + 1)·⌈H/cells⌉ and cut at a
/// random shift — drawn on the device by `Backend.riseMasks(height:width:cells:probability:stream:samples:)`
/// from the Philox stream of `seed`, chunk by chunk, so they are never all stored and the same seed
/// gives the same masks on every backend. Each chunk's score-weighted sum of masks is one matrix
/// product on the device. The reference explains softmax probabilities; ``output`` chooses.
public struct Rise: AttributionMethod {
    public var name: String { "rise" }
    /// The number of masks N.
    public var samples: Int
    /// The grid size s of the low-resolution masks.
    public var cells: Int
    /// The probability p that a grid cell is kept.
    public var probability: Float
    /// The seed of the masks' Philox stream.
    public var seed: UInt64
    /// Which number of the model the masks are weighted by.
    public var output: ExplainedOutput
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// RISE with `samples` masks of `cells`×`cells` cells kept with `probability` (the authors'
    /// ImageNet settings: 4000 to 8000 masks, s = 7, p = ½).
    public init(
        samples: Int = 4000, cells: Int = 7, probability: Float = 0.5, seed: UInt64 = 0,
        output: ExplainedOutput = .probabilities, batchSize: Int? = nil
    ) {
        self.samples = samples
        self.cells = cells
        self.probability = probability
        self.seed = seed
        self.output = output
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        guard inputs.shape.rank == 4 else {
            throw GlassboxError.shapeMismatch("rise needs C×H×W inputs, got \(inputs.shape.sampleShape)")
        }
        guard samples > 0, probability > 0 else {
            throw GlassboxError.invalidArgument("rise needs at least one mask and a keep probability above 0")
        }
        let backend = inputs.backend, (height, width) = (inputs.shape[2], inputs.shape[3])
        let pass = TargetPass(model: model, backward: false, batchSize: batchSize, explainedOutput: output)
        var maps = [Tensor]()
        for (index, target) in targets.enumerated() {
            let input = try backend.slice(inputs, axis: 0, range: index..<(index + 1))
            var saliency: Tensor?, masks: Tensor?
            try pass.run(
                total: samples, target: { _ in target },
                makeBatch: { range in
                    masks = try backend.riseMasks(
                        height: height, width: width, cells: cells, probability: probability,
                        stream: RandomStream(seed: seed), samples: range)
                    return try backend.binary(input, masks!, .multiply)
                }
            ) { chunk in
                let weights = try backend.upload(chunk.scores, shape: [1, chunk.range.count])
                let chunkMasks = try masks!.reshaped([chunk.range.count, height * width])
                saliency = try backend.gemm(
                    weights, chunkMasks, transposeA: false, transposeB: false,
                    alpha: 1 / (Float(samples) * probability),
                    beta: saliency == nil ? 0 : 1, accumulator: saliency)
            }
            maps.append(try saliency!.reshaped([1, 1, height, width]))
        }
        return Attribution(values: try maps.joinedAlongBatch())
    }
}
