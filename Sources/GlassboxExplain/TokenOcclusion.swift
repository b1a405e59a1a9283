import GlassboxCore
import GlassboxNN

/// Word occlusion for text models whose input is token ids (N×T, ids carried as floats):
/// each real token in turn is replaced by another token (`<unk>`) or removed, and its
/// attribution is the drop of the target score, f(x) − f(x without the word) — positive
/// where the word supports the class, as Captum's `Occlusion` with a one-token window
/// (Zeiler & Fergus 2014, §4.2; Li, Monroe & Jurafsky 2016, "Understanding neural networks
/// through representation erasure"). Padding positions (ids equal to ``paddingIndex``)
/// get zero.
///
/// Replacing runs as ``Occlusion`` with a window of one token and the replacement id as
/// its baseline: the variants are made on the device from the one uploaded input. Removing
/// shifts the rest of the text left and appends a padding token, which no mask expresses:
/// those T variants of T ids are made on the host (T² numbers) and run as one batch.
public struct TokenOcclusion: AttributionMethod {
    /// What happens to the occluded word.
    public enum Mode: Sendable, Equatable {
        /// The word's id is replaced by this id (usually `<unk>`).
        case replace(with: Int)
        /// The word is dropped, the rest moves left, and a padding token fills the end
        /// (`lime`'s `LimeTextExplainer` removes words likewise).
        case remove
    }

    public var name: String { "occlusion" }
    /// What happens to each occluded word.
    public var mode: Mode
    /// The padding token's id: such positions are not words and get zero.
    public var paddingIndex: Int
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// Word occlusion by `mode`, with padding id `paddingIndex`.
    public init(mode: Mode, paddingIndex: Int = 0, batchSize: Int? = nil) {
        self.mode = mode
        self.paddingIndex = paddingIndex
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        guard inputs.shape.rank == 2 else {
            throw GlassboxError.shapeMismatch("word occlusion needs token ids N×T, got \(inputs.shape)")
        }
        let backend = inputs.backend, length = inputs.shape[1], ids = try inputs.toArray()
        let padding = Float(paddingIndex)
        let drops: [Float]
        switch mode {
        case .replace(let replacement):
            let occlusion = Occlusion(window: [1], strides: [1], baseline: Float(replacement), batchSize: batchSize)
            drops = try occlusion.attribute(inputs, targets: targets, model: model).values.toArray()
        case .remove:
            let pass = TargetPass(model: model, backward: false, batchSize: batchSize)
            let unoccluded = try pass.scores(of: inputs, targets: targets)
            var values = [Float]()
            for index in 0..<inputs.shape[0] {
                let row = Array(ids[(index * length)..<((index + 1) * length)])
                let variants = (0..<length).flatMap { position in
                    Array(row[..<position]) + Array(row[(position + 1)...]) + [padding]
                }
                let scores = try pass.scores(
                    of: try backend.upload(variants, shape: [length, length]),
                    targets: Array(repeating: targets[index], count: length))
                values += scores.map { unoccluded[index] - $0 }
            }
            drops = values
        }
        let masked = zip(drops, ids).map { $1 == padding ? 0 : $0 }
        return Attribution(values: try backend.upload(masked, shape: inputs.shape))
    }
}
