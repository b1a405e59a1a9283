import Foundation
import GlassboxCore

/// LIME's quartile discretizer of tabular data (Ribeiro, Singh & Guestrin, "Why should I trust
/// you?", KDD 2016): lime 0.2.0.1's `QuartileDiscretizer` (`lime/discretize.py`), which
/// `LimeTabularExplainer(discretize_continuous=True, discretizer='quartile')` builds from the
/// training data.
///
/// Each column is cut at its training quartiles — `np.percentile(column, [25, 50, 75])` with
/// numpy's default linear interpolation, repeated edges merged (`np.unique`) — into up to four
/// bins: a value `x` falls in bin `k` = the number of edges below it (`np.searchsorted`, side
/// left), so bin 0 is `x ≤ q₀`, bin k is `q₍ₖ₋₁₎ < x ≤ qₖ` and the last bin `x > q_last`. Every
/// bin keeps lime's statistics of the training values that fall in it (``QuartileBin``).
///
/// Differences from lime: a constant column is refused (lime keeps it, as one real bin and one
/// empty one, and the feature can never be switched off), and a bin whose range is a single value
/// samples that value (lime returns its z-score there, `(min − mean) / std`).
public struct QuartileDiscretizer: Sendable, Equatable {
    /// The feature (column) names, as lime's `feature_names`.
    public let featureNames: [String]
    /// The distinct training quartiles of each feature, ascending (one to three edges).
    public let quartiles: [[Double]]
    /// The bins of each feature, `quartiles[f].count + 1` of them, lowest first.
    public let bins: [[QuartileBin]]

    /// The number of features F.
    public var features: Int { featureNames.count }

    /// Discretizes the columns of a table as lime's `QuartileDiscretizer` does.
    ///
    /// - Parameters:
    ///   - training: The training table, `rows`×`columns`, row-major.
    ///   - rows: The number of training rows (at least 1).
    ///   - columns: The number of features (at least 1).
    ///   - names: The name of each column, used in the bin names.
    /// - Throws: `GlassboxError.shapeMismatch` when `training` or `names` does not match
    ///   `rows`×`columns`; `GlassboxError.invalidArgument` for no rows or columns, a non-finite
    ///   value, or a constant column.
    public init(training: [Float], rows: Int, columns: Int, names: [String]) throws {
        guard rows >= 1, columns >= 1 else {
            throw GlassboxError.invalidArgument(
                "QuartileDiscretizer: the training table has \(rows) rows and \(columns) columns; it needs at least 1 of each"
            )
        }
        guard training.count == rows * columns else {
            throw GlassboxError.shapeMismatch(
                "QuartileDiscretizer: training has \(training.count) values, not \(rows) rows × \(columns) columns")
        }
        guard names.count == columns else {
            throw GlassboxError.shapeMismatch(
                "QuartileDiscretizer: \(names.count) feature names for \(columns) columns")
        }
        if let bad = training.firstIndex(where: { !$0.isFinite }) {
            throw GlassboxError.invalidArgument(
                "QuartileDiscretizer: training row \(bad / columns), column '\(names[bad % columns])' is \(training[bad])"
            )
        }
        var quartiles = [[Double]]()
        var bins = [[QuartileBin]]()
        for column in 0..<columns {
            let values = (0..<rows).map { Double(training[$0 * columns + column]) }
            let sorted = values.sorted()
            guard sorted[0] < sorted[rows - 1] else {
                throw GlassboxError.invalidArgument(
                    "QuartileDiscretizer: column '\(names[column])' is constant (every training value is \(sorted[0])); LIME cannot discretize it"
                )
            }
            let edges = Self.distinct([0.25, 0.5, 0.75].map { Self.percentile(sorted, $0) })
            quartiles.append(edges)
            bins.append(
                Self.bins(values: values, edges: edges, range: sorted[0]...sorted[rows - 1], name: names[column]))
        }
        self.featureNames = names
        self.quartiles = quartiles
        self.bins = bins
    }

    /// The bin of `value` in feature `feature`: the number of quartiles below it (lime's
    /// `np.searchsorted(qts, x)`).
    public func bin(of value: Float, feature: Int) -> Int {
        Self.bin(of: Double(value), edges: quartiles[feature])
    }

    /// The bin of each feature of one row (lime's `discretize`).
    ///
    /// - Throws: `GlassboxError.shapeMismatch` when the row does not have ``features`` values.
    public func discretize(_ row: [Float]) throws -> [Int] {
        guard row.count == features else {
            throw GlassboxError.shapeMismatch(
                "QuartileDiscretizer.discretize: the row has \(row.count) values for \(features) features")
        }
        return row.enumerated().map { bin(of: $1, feature: $0) }
    }

    /// The number of edges below `value`.
    private static func bin(of value: Double, edges: [Double]) -> Int {
        edges.firstIndex { value <= $0 } ?? edges.count
    }

    /// The `q`-quantile of ascending values as numpy's default (`method='linear'`): position
    /// `h = q·(n − 1)`, then numpy's `_lerp` between its neighbours.
    private static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let fraction = position - Double(below)
        let a = sorted[below], b = sorted[min(below + 1, sorted.count - 1)]
        let difference = b - a
        return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction
    }

    /// Ascending values with repeats removed (`np.unique`).
    private static func distinct(_ ascending: [Double]) -> [Double] {
        ascending.enumerated().filter { $0.offset == 0 || $0.element != ascending[$0.offset - 1] }.map(\.element)
    }

    /// lime's bins of one column: names, and the mean, deviation, range and share of its training values.
    private static func bins(values: [Double], edges: [Double], range: ClosedRange<Double>, name: String)
        -> [QuartileBin]
    {
        var members = [[Double]](repeating: [], count: edges.count + 1)
        for value in values { members[bin(of: value, edges: edges)].append(value) }
        let lower = [range.lowerBound] + edges, upper = edges + [range.upperBound]
        return members.enumerated().map { k, inBin in
            let mean = inBin.isEmpty ? 0 : inBin.reduce(0, +) / Double(inBin.count)
            let variance = inBin.isEmpty ? 0 : inBin.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(inBin.count)
            return QuartileBin(
                name: binName(k, edges: edges, feature: name), mean: mean,
                standardDeviation: variance.squareRoot() + 1e-11, minimum: lower[k], maximum: upper[k],
                frequency: Double(inBin.count) / Double(values.count))
        }
    }

    /// The condition lime prints for bin `k`, its edges with `%.2f`.
    private static func binName(_ k: Int, edges: [Double], feature: String) -> String {
        func edge(_ i: Int) -> String { String(format: "%.2f", edges[i]) }
        if k == 0 { return "\(feature) <= \(edge(0))" }
        if k == edges.count { return "\(feature) > \(edge(k - 1))" }
        return "\(edge(k - 1)) < \(feature) <= \(edge(k))"
    }
}
