import GlassboxCore

/// Exact Shapley values (Shapley, "A value for n-person games", 1953) by enumerating all `2^M`
/// coalitions of M ≤ 20 features — the reference that KernelSHAP and Shapley value sampling
/// approximate.
///
/// Coalition number `c` (in `0..<2^M`) holds feature `i` when bit `i` of `c` is set. A caller
/// evaluates `v(c)` for every coalition — in chunks, ``masks(coalitions:)`` gives the masks of a
/// range of coalition numbers, so `2^M × M` numbers are never held at once — and
/// ``values(coalitionValues:)`` returns `φ_i = Σ_{S ∌ i} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S))`,
/// which sum to `v(all) − v(∅)` (efficiency).
public struct ExactShapley: Sendable, Equatable {
    /// The largest number of features enumerated (2^20 coalitions).
    public static let maximumFeatures = 20

    /// The number of features (players) M.
    public let features: Int

    /// The number of coalitions, `2^M`.
    public var count: Int { 1 << features }

    /// Prepares the enumeration of `features` features.
    ///
    /// - Throws: `GlassboxError.invalidArgument` unless `1 <= features <= 20`.
    public init(features: Int) throws {
        guard features >= 1, features <= Self.maximumFeatures else {
            throw GlassboxError.invalidArgument(
                "exact Shapley values enumerate 2^M coalitions of 1...\(Self.maximumFeatures) features, got \(features) "
                    + "(use KernelSHAP or Shapley value sampling)")
        }
        self.features = features
    }

    /// The masks of the coalitions numbered `coalitions`, `coalitions.count × M` row-major, 1 where a
    /// feature is in the coalition (taken from the input) and 0 where it is not (from the baseline).
    ///
    /// - Throws: `GlassboxError.invalidArgument` when the range is not within `0..<count`.
    public func masks(coalitions: Range<Int>) throws -> [Float] {
        guard coalitions.lowerBound >= 0, coalitions.upperBound <= count else {
            throw GlassboxError.invalidArgument(
                "ExactShapley.masks: coalitions \(coalitions) are not within 0..<\(count)")
        }
        var masks = [Float](repeating: 0, count: coalitions.count * features)
        for (row, coalition) in coalitions.enumerated() {
            for i in 0..<features where coalition & (1 << i) != 0 { masks[row * features + i] = 1 }
        }
        return masks
    }

    /// The Shapley value of each feature from the values `v(c)` of all coalitions, in coalition order.
    ///
    /// - Throws: `GlassboxError.shapeMismatch` unless there are `2^M` values.
    public func values(coalitionValues: [Double]) throws -> [Double] {
        guard coalitionValues.count == count else {
            throw GlassboxError.shapeMismatch(
                "ExactShapley.values: \(coalitionValues.count) coalition values, expected 2^\(features) = \(count)")
        }
        let weights = (0..<features).map { ShapleyWeights.shapley(coalitionSize: $0, features: features) }
        var phi = [Double](repeating: 0, count: features)
        for coalition in 0..<count {
            let size = coalition.nonzeroBitCount
            for i in 0..<features where coalition & (1 << i) == 0 {
                phi[i] += weights[size] * (coalitionValues[coalition | (1 << i)] - coalitionValues[coalition])
            }
        }
        return phi
    }
}
