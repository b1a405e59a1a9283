import GlassboxCore

/// What the elements of a switched-off feature become in a perturbed copy of the input.
///
/// LIME hides a superpixel by its mean colour (`hide_color=None`, the default of `lime`'s
/// `LimeImageExplainer`) or a constant, and removes absent words (`LimeTextExplainer`);
/// KernelSHAP replaces absent features by a baseline (Captum's `KernelShap`) or by each row of a
/// background set in turn and averages the model's outputs over the rows (`shap`'s
/// `KernelExplainer`), which estimates the expectation of Lundberg & Lee (2017), eq. 9–11.
public enum Absence: Sendable, CustomStringConvertible {
    /// The values of a ``Baseline`` (zero, a constant, a blurred copy, noise, a given tensor).
    case baseline(Baseline)
    /// Each element the mean, over the input's elements of the same feature in the same channel
    /// (axis 1 of a (1, C, …) input), of the input: a superpixel's mean colour. Inputs without a
    /// channel axis use the feature's mean.
    case featureMean
    /// Each row of a background set (R, …) in turn; the model's output is averaged over the rows.
    case background(Tensor)
    /// Token ids: the words are taken out, the rest of the text moves left and `paddingIndex`
    /// fills the end.
    case removedWords(paddingIndex: Int)

    /// A short description for summaries.
    public var description: String {
        switch self {
        case .baseline(let baseline): baseline.label
        case .featureMean: "feature mean"
        case .background(let rows): "background of \(rows.shape[0]) rows"
        case .removedWords: "removed"
        }
    }

    /// The fill rows (R, …) for `input` (1, …), sample `index` of the batch explained, with
    /// features `mask`; for removed words, rows marking every element as removed.
    func fill(for input: Tensor, index: Int, mask: FeatureMask) throws -> Tensor {
        let backend = input.backend
        switch self {
        case .baseline(let baseline): return try baseline.make(for: input, index: index)
        case .featureMean:
            return try backend.upload(Self.featureMeans(try input.toArray(), input.shape, mask), shape: input.shape)
        case .background(let rows):
            guard rows.shape.rank == input.shape.rank, rows.shape.sampleShape == input.shape.sampleShape else {
                throw GlassboxError.shapeMismatch(
                    "the background \(rows.shape) does not hold rows of the input's shape \(input.shape.sampleShape)")
            }
            return rows
        case .removedWords: return try backend.filled(input.shape, value: Self.removedMark)
        }
    }

    /// The id that marks a removed word before the row is packed (no real id is negative).
    static let removedMark: Float = -1

    /// The padding id that packs the rows, for removed words.
    var packingPadding: Float? {
        if case .removedWords(let paddingIndex) = self { return Float(paddingIndex) }
        return nil
    }

    /// The per-channel means of each feature's elements of `values` (one sample of `shape`).
    static func featureMeans(_ values: [Float], _ shape: Shape, _ mask: FeatureMask) -> [Float] {
        let planeSize = shape.rank > 2 ? values.count / shape[1] : values.count
        var sums = [Int: (total: Double, count: Int)]()
        func key(_ element: Int, _ feature: Int) -> Int { (element / planeSize) * mask.count + feature }
        for (element, feature) in mask.elementFeatures.enumerated() where feature != FeatureMask.unperturbed {
            let entry = sums[key(element, feature), default: (0, 0)]
            sums[key(element, feature)] = (entry.total + Double(values[element]), entry.count + 1)
        }
        return mask.elementFeatures.enumerated().map { element, feature in
            guard feature != FeatureMask.unperturbed, let entry = sums[key(element, feature)] else {
                return values[element]
            }
            return Float(entry.total / Double(entry.count))
        }
    }
}
