import Foundation
import GlassboxCore

/// LIME's proximity weights of perturbed samples (Ribeiro, Singh & Guestrin, "Why should I trust
/// you?", KDD 2016, §3.3): the distance of each row from the first row (the instance) through the
/// exponential kernel `√exp(−d² / width²)`, as lime 0.2.0.1's explainers compute it.
public struct LimeKernel: Sendable, Equatable, Codable {
    /// How far a perturbed sample is from the instance, as scikit-learn's `pairwise_distances`.
    public enum Distance: Sendable, Equatable, Codable {
        /// The cosine distance `1 − a·b / (‖a‖ ‖b‖)` (0 similarity for a zero row), clipped to
        /// [0, 2], times `scale` (lime_image: 1, lime_text: 100).
        case cosine(scale: Double)
        /// The Euclidean distance `‖a − b‖` (lime_tabular, on the scaled data), computed directly
        /// rather than by scikit-learn's `√(‖a‖² − 2a·b + ‖b‖²)`, which differs by rounding.
        case euclidean
    }

    /// The distance from the instance.
    public var distance: Distance
    /// The kernel width.
    public var width: Double

    /// A kernel of the given distance and width.
    public init(distance: Distance, width: Double) {
        self.distance = distance
        self.width = width
    }

    /// lime_image's kernel: cosine distance, width 0.25.
    public static let image = LimeKernel(distance: .cosine(scale: 1), width: 0.25)
    /// lime_text's kernel: cosine distance × 100, width 25.
    public static let text = LimeKernel(distance: .cosine(scale: 100), width: 25)

    /// lime_tabular's kernel: Euclidean distance on the scaled data, width `√F · 0.75`.
    public static func tabular(features: Int) -> LimeKernel {
        LimeKernel(distance: .euclidean, width: Double(features).squareRoot() * 0.75)
    }

    /// The distance of every row of `data` (N×`features`, row-major) from its first row.
    public func distances(data: [Double], features: Int) throws -> [Double] {
        guard features > 0, !data.isEmpty, data.count % features == 0 else {
            throw GlassboxError.shapeMismatch(
                "LimeKernel.distances: data has \(data.count) values, not whole rows of \(features) features")
        }
        let first = Array(data[0..<features])
        let rows = data.count / features
        switch distance {
        case .cosine(let scale):
            let firstNorm = norm(first[...])
            return (0..<rows).map { i in
                let row = data[i * features..<(i + 1) * features]
                let rowNorm = norm(row)
                var product = 0.0
                for (a, b) in zip(row, first) { product += a * b }
                let similarity = rowNorm > 0 && firstNorm > 0 ? product / (rowNorm * firstNorm) : 0
                return min(max(1 - similarity, 0), 2) * scale
            }
        case .euclidean:
            return (0..<rows).map { i in
                var sum = 0.0
                for (a, b) in zip(data[i * features..<(i + 1) * features], first) { sum += (a - b) * (a - b) }
                return sum.squareRoot()
            }
        }
    }

    /// The kernel `√exp(−d² / width²)` of each distance.
    public func weights(distances: [Double]) -> [Double] {
        distances.map { d in exp(-(d * d) / (width * width)).squareRoot() }
    }

    /// The Euclidean norm of a row.
    private func norm(_ row: ArraySlice<Double>) -> Double {
        row.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
