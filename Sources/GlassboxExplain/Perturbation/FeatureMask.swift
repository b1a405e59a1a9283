import GlassboxCore

/// The interpretable features of one input that the perturbation methods switch on and off: the
/// "interpretable representation" of LIME (Ribeiro, Singh & Guestrin 2016, "Why should I trust
/// you?", §3.1) and the players of the Shapley methods (Lundberg & Lee 2017) — superpixels of an
/// image, words of a text, columns of a table. Captum calls it `feature_mask`.
///
/// Every element of one sample belongs to one feature, numbered `0 ..< count`, or to none
/// (``unperturbed``): such elements always keep the input's value (the padding of a text).
public struct FeatureMask: Sendable, Equatable {
    /// The feature number of an element that no feature covers.
    public static let unperturbed = -1

    /// Per element of one sample (row-major), its feature number or ``unperturbed``.
    public let elementFeatures: [Int]
    /// The number of features.
    public let count: Int

    /// A mask from each element's feature number; the features must be numbered `0 ..< count`
    /// with none left out.
    public init(elementFeatures: [Int]) throws {
        let used = Set(elementFeatures.filter { $0 != Self.unperturbed })
        guard let largest = used.max() else {
            throw GlassboxError.invalidArgument("a feature mask needs at least one feature")
        }
        guard used.min()! >= 0, used.count == largest + 1 else {
            throw GlassboxError.invalidArgument(
                "feature numbers must be 0 ..< F with none missing (or \(Self.unperturbed) for none); got \(used.count) distinct numbers up to \(largest)"
            )
        }
        self.elementFeatures = elementFeatures
        self.count = largest + 1
    }

    /// One feature per element: the columns of a table row.
    public static func elements(_ count: Int) throws -> FeatureMask {
        try FeatureMask(elementFeatures: Array(0..<count))
    }

    /// The features of a C×H×W image from the label (`0 ..< F`) of each of its H·W pixels
    /// (row-major), every channel of a pixel in its pixel's feature: superpixels.
    public init(pixelLabels: [Int], channels: Int) throws {
        guard channels > 0 else { throw GlassboxError.invalidArgument("an image needs at least one channel") }
        try self.init(elementFeatures: Array([[Int]](repeating: pixelLabels, count: channels).joined()))
    }

    /// The words of a text given as token ids: each distinct id one feature, numbered in order of
    /// first appearance, so every occurrence of a word goes together (`lime`'s `LimeTextExplainer`
    /// with `bow=True`); or, when `bagOfWords` is false, each position its own feature. Positions
    /// holding `paddingIndex` are ``unperturbed``.
    public init(tokens: [Int], paddingIndex: Int, bagOfWords: Bool = true) throws {
        var numbers = [Int: Int]()
        let features = tokens.enumerated().map { position, token in
            guard token != paddingIndex else { return Self.unperturbed }
            let key = bagOfWords ? token : position
            if numbers[key] == nil { numbers[key] = numbers.count }
            return numbers[key]!
        }
        guard !numbers.isEmpty else {
            throw GlassboxError.invalidArgument("the text has no words to explain (only padding)")
        }
        try self.init(elementFeatures: features)
    }

    /// For each feature, the positions of its elements.
    public var elementsByFeature: [[Int]] {
        var result = [[Int]](repeating: [], count: count)
        for (element, feature) in elementFeatures.enumerated() where feature != Self.unperturbed {
            result[feature].append(element)
        }
        return result
    }

    /// One value per element: the value of its feature, zero for unperturbed elements — a
    /// per-feature explanation drawn over the input.
    public func expand(_ featureValues: [Double]) -> [Float] {
        elementFeatures.map { $0 == Self.unperturbed ? 0 : Float(featureValues[$0]) }
    }

    /// The mask as a tensor of feature numbers (floats) in `shape`, the argument of
    /// `Backend.maskedBatch(_:features:fill:masks:)`.
    func upload(to backend: any Backend, shape: Shape) throws -> Tensor {
        try backend.upload(elementFeatures.map(Float.init), shape: shape)
    }
}
