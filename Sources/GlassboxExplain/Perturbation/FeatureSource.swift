import GlassboxCore

/// Where a perturbation method's interpretable features (``FeatureMask``) come from, per input.
public enum FeatureSource: Sendable, CustomStringConvertible {
    /// The same features for every input (a fixed segmentation, Captum's `feature_mask`).
    case mask(FeatureMask)
    /// One mask per input sample (superpixels computed per image).
    case masks([FeatureMask])
    /// Every element of a sample its own feature: the columns of a table.
    case elements
    /// The words of token-id inputs (N×T): each distinct id one feature when `bagOfWords`
    /// (`lime`'s `bow=True`), else each position; `paddingIndex` positions are no feature.
    case words(paddingIndex: Int, bagOfWords: Bool)

    /// A short description for summaries.
    public var description: String {
        switch self {
        case .mask(let mask): "\(mask.count) features"
        case .masks(let masks): "\(masks.map(\.count).map(String.init).joined(separator: ", ")) features"
        case .elements: "each element"
        case .words(_, let bagOfWords): bagOfWords ? "words (every occurrence together)" : "word positions"
        }
    }

    /// The features of `input` (1, …), sample `index` of the batch explained.
    func mask(for input: Tensor, index: Int) throws -> FeatureMask {
        switch self {
        case .mask(let mask): return mask
        case .masks(let masks):
            guard index < masks.count else {
                throw GlassboxError.invalidArgument("\(masks.count) feature masks for more input samples")
            }
            return masks[index]
        case .elements: return try .elements(input.count)
        case .words(let paddingIndex, let bagOfWords):
            return try FeatureMask(
                tokens: try input.toArray().map { Int($0) }, paddingIndex: paddingIndex, bagOfWords: bagOfWords)
        }
    }
}
