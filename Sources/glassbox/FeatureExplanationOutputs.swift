import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO

/// The outputs of `glassbox explain` by a perturbation method over features (LIME, KernelSHAP,
/// Shapley values) on images and tables: each row's features named, printed by size, drawn as
/// outlined superpixels (images) or a contribution chart (tables), and every number for the JSON
/// summary.
struct FeatureExplanationOutputs {
    /// The features' context: their kind, segmentations, names and discretizer.
    let context: FeatureContext
    /// The method's result.
    let result: FeatureAttribution
    /// The explained input rows' values (one sample each), for the features' labels.
    let rows: [[Float]]
    /// Whether the method is LIME (whose table features are the input's quartile bins).
    let isLime: Bool

    /// Every number of row `row`'s explanation, with its features' labels.
    struct Summary: Codable {
        var features: [String]
        var values: [Double]
        var baseValue: Double
        var prediction: Double
        var localPrediction: Double?
        var score: Double?
        var standardErrors: [Double]?
        var evaluations: Int
    }

    /// The label of each feature of row `row`: a superpixel's number; a table feature's name with
    /// the row's value, or for LIME the quartile bin the value lies in (as `lime` names them).
    func labels(row: Int) throws -> [String] {
        let count = result.masks[row].count
        switch context.kind {
        case .image: return (0..<count).map { "superpixel \($0)" }
        case .text: return (0..<count).map { "word \($0)" }
        case .table:
            if isLime, let discretizer = context.discretizer {
                let bins = try discretizer.discretize(rows[row])
                return bins.enumerated().map { discretizer.bins[$0][$1].name }
            }
            return context.featureNames.enumerated().map { "\($1) = \(Self.format(rows[row][$0]))" }
        }
    }

    /// Row `row`'s features with a value, named by their labels (SP-LIME's matrix, keyed by name
    /// as `lime`'s `as_list()`).
    func namedValues(row: Int) throws -> [(name: String, weight: Double)] {
        zip(try labels(row: row), result.explanations[row].values).filter { $0.1 != 0 }.map { ($0, $1) }
    }

    /// The summary of row `row`.
    func summary(row: Int) throws -> Summary {
        let explanation = result.explanations[row]
        return Summary(
            features: try labels(row: row), values: explanation.values, baseValue: explanation.baseValue,
            prediction: explanation.prediction, localPrediction: explanation.localPrediction, score: explanation.score,
            standardErrors: explanation.standardErrors, evaluations: explanation.evaluations)
    }

    /// The lines printed for row `row`: the base value, the prediction (and LIME's fit), and the
    /// `count` largest features.
    func lines(row: Int, count: Int) throws -> [String] {
        let explanation = result.explanations[row], labels = try labels(row: row)
        var first =
            "  prediction \(Self.format(explanation.prediction)), base value \(Self.format(explanation.baseValue))"
        if let local = explanation.localPrediction, let score = explanation.score {
            first += ", local prediction \(Self.format(local)), weighted R² \(Self.format(score))"
        }
        let top = explanation.featuresByMagnitude.prefix(count).filter { explanation.values[$0] != 0 }
        return [first]
            + top.map { feature in
                let error = explanation.standardErrors.map { " ± \(Self.format($0[feature]))" } ?? ""
                return "    \(String(format: "%+.4f", explanation.values[feature]))\(error)  \(labels[feature])"
            }
    }

    /// Row `row`'s picture with its `count` most positive superpixels outlined in green and its
    /// `count` most negative in red (as `lime`'s `get_image_and_mask` with `positive_only=False`).
    /// Pictures smaller than ``outlineSize`` are enlarged by a whole factor (nearest pixel) first,
    /// so the one-pixel outlines do not cover small images.
    func outlines(_ picture: Image, row: Int, count: Int) throws -> Image {
        let explanation = result.explanations[row], order = explanation.featuresByMagnitude
        let positive = order.filter { explanation.values[$0] > 0 }.prefix(count)
        let negative = order.filter { explanation.values[$0] < 0 }.prefix(count)
        let original = context.segmentations[row]
        let factor = max(
            1, (Self.outlineSize + min(original.height, original.width) - 1) / min(original.height, original.width))
        let (height, width) = (original.height * factor, original.width * factor)
        let segmentation = try Segmentation(
            height: height, width: width,
            labels: (0..<(height * width)).map {
                original.labels[($0 / width / factor) * original.width + ($0 % width) / factor]
            })
        return picture.resized(height: height, width: width, resampling: .nearest).markingBoundaries(
            of: segmentation, segments: Set(positive), color: [0, 255, 0]
        )
        .markingBoundaries(of: segmentation, segments: Set(negative), color: [255, 0, 0])
    }

    /// Row `row`'s contribution chart titled `title`, its `count` largest features as bars.
    func chart(row: Int, title: String, count: Int) throws -> ContributionChart {
        let explanation = result.explanations[row]
        return ContributionChart(
            title: title,
            contributions: zip(try labels(row: row), explanation.values).map { .init(label: $0, value: $1) },
            maximumBars: count, axisLabel: isLime ? "LIME coefficient" : "Shapley value")
    }

    /// The smallest side, in pixels, of an outlined picture.
    static let outlineSize = 128

    /// A number in four significant digits.
    static func format<Number: BinaryFloatingPoint>(_ value: Number) -> String {
        String(format: "%.4g", Double(value))
    }
}
