import GlassboxCore

/// Shapley value sampling (Castro, Gómez & Tejada, Computers & Operations Research 2009; Štrumbelj &
/// Kononenko, KAIS 2014), as Captum's `ShapleyValueSampling`: for each of P random permutations of
/// the M features, start from the baseline and add the features one at a time in permutation order;
/// feature `i`'s marginal contribution is `v(prefix ∪ {i}) − v(prefix)`, and its Shapley value is
/// estimated by the mean over the permutations.
///
/// Permutation `p` is `Philox.permutation(count: M, stream:)` of the given stream advanced by
/// `p · (M − 1)` draws (Fisher–Yates from Glassbox's Philox generator, not Captum's
/// `torch.randperm`), so the same seed gives the same permutations everywhere. Each permutation has
/// `M + 1` prefix coalitions (empty to full); row `p · (M + 1) + j` of ``masks(rows:)`` is prefix `j`
/// of permutation `p`. Captum evaluates the baseline once; here every permutation carries its own
/// empty and full coalition, so the contributions of each permutation sum exactly to
/// `v(all) − v(∅)` (efficiency per permutation).
public struct ShapleySampling: Sendable, Equatable {
    /// The number of features M.
    public let features: Int
    /// The number of permutations P (Captum's `n_samples`).
    public let permutations: Int
    /// The stream the permutations are drawn from.
    public let stream: RandomStream

    /// The number of coalitions to evaluate, `P · (M + 1)`.
    public var count: Int { permutations * (features + 1) }

    /// Prepares P permutations of M features.
    ///
    /// - Throws: `GlassboxError.invalidArgument` when `features < 1` or `permutations < 1`.
    public init(features: Int, permutations: Int, stream: RandomStream) throws {
        guard features >= 1 else {
            throw GlassboxError.invalidArgument("ShapleySampling: needs at least one feature, got \(features)")
        }
        guard permutations >= 1 else {
            throw GlassboxError.invalidArgument(
                "ShapleySampling: needs at least one permutation (sample), got \(permutations)")
        }
        self.features = features
        self.permutations = permutations
        self.stream = stream
    }

    /// Permutation number `p` of the features.
    public func permutation(_ p: Int) -> [Int] {
        Philox.permutation(count: features, stream: stream.advanced(by: UInt64(p) * UInt64(features - 1)))
    }

    /// The masks of the coalitions numbered `rows`, `rows.count × M` row-major, 1 where a feature is
    /// in the coalition (taken from the input) and 0 where it is not (from the baseline).
    ///
    /// - Throws: `GlassboxError.invalidArgument` when the range is not within `0..<count`.
    public func masks(rows: Range<Int>) throws -> [Float] {
        guard rows.lowerBound >= 0, rows.upperBound <= count else {
            throw GlassboxError.invalidArgument("ShapleySampling.masks: rows \(rows) are not within 0..<\(count)")
        }
        var masks = [Float](repeating: 0, count: rows.count * features)
        var cached: (number: Int, order: [Int])?
        for (offset, row) in rows.enumerated() {
            let p = row / (features + 1)
            if cached?.number != p { cached = (p, permutation(p)) }
            for feature in cached!.order.prefix(row % (features + 1)) { masks[offset * features + feature] = 1 }
        }
        return masks
    }

    /// The estimate from the values of all ``count`` coalitions, in row order.
    ///
    /// - Throws: `GlassboxError.shapeMismatch` unless there are `P · (M + 1)` values.
    public func estimate(coalitionValues: [Double]) throws -> ShapleyEstimate {
        guard coalitionValues.count == count else {
            throw GlassboxError.shapeMismatch(
                "ShapleySampling.estimate: \(coalitionValues.count) coalition values, expected "
                    + "\(permutations) permutations × \(features + 1) = \(count)")
        }
        var contributions = [[Double]](repeating: [], count: features)
        for p in 0..<permutations {
            let base = p * (features + 1)
            for (position, feature) in permutation(p).enumerated() {
                contributions[feature].append(coalitionValues[base + position + 1] - coalitionValues[base + position])
            }
        }
        let count = Double(permutations)
        let means = contributions.map { $0.reduce(0, +) / count }
        let errors = zip(contributions, means).map { values, mean in
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return permutations > 1 ? (squares / (count - 1) / count).squareRoot() : .nan
        }
        return ShapleyEstimate(values: means, standardErrors: errors)
    }
}
