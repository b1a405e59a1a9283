/// How LIME chooses the features of its local linear model (Ribeiro, Singh & Guestrin, "Why should I
/// trust you?", KDD 2016, §3.4), exactly as lime 0.2.0.1's `LimeBase.feature_selection`.
///
/// The raw values are the command line's names; lime's own names are `'none'`,
/// `'forward_selection'`, `'highest_weights'`, `'lasso_path'` and `'auto'`.
public enum FeatureSelection: String, CaseIterable, Sendable, Codable {
    /// Every feature, whatever the maximum.
    case none
    /// Greedy forward selection: repeatedly adds the feature whose unpenalised weighted least-squares
    /// fit (scikit-learn's `Ridge(alpha=0)`) with the features chosen so far has the highest weighted
    /// R² (the first on ties), until the maximum is reached.
    case forward
    /// The features with the largest `|β_j · x_j|` of a ridge fit on all features (`alpha=0.01`), `x`
    /// the first row (the instance); ties keep the feature order.
    case highestWeights = "highest-weights"
    /// The features of the last step of the lasso path (LARS, Efron et al. 2004, scikit-learn's
    /// `lars_path(method='lasso')` on the weighted, centred data) that has at most the maximum of
    /// nonzero coefficients.
    case lassoPath = "lasso-path"
    /// ``forward`` for at most 6 features, else ``highestWeights`` (lime's default).
    case auto

    /// The features this selection chooses from `design` for at most `maximumFeatures`, in lime's
    /// order (the order chosen for forward selection and highest weights, ascending otherwise).
    func features(of design: WeightedDesign, maximumFeatures: Int) -> [Int] {
        switch self {
        case .none:
            return Array(0..<design.columns)
        case .forward:
            return Self.forwardSelection(design, maximumFeatures: maximumFeatures)
        case .highestWeights:
            let all = Array(0..<design.columns)
            let products = zip(design.ridge(all, alpha: 0.01), design.instance).map { abs($0 * $1) }
            return Array(stableDescendingOrder(products).prefix(maximumFeatures))
        case .lassoPath:
            return LassoPath(design).lime(maximumFeatures: maximumFeatures, features: design.columns)
        case .auto:
            let method: FeatureSelection = maximumFeatures <= 6 ? .forward : .highestWeights
            return method.features(of: design, maximumFeatures: maximumFeatures)
        }
    }

    /// lime's `forward_selection`: `min(maximumFeatures, F)` greedy rounds; a candidate replaces the
    /// best so far only when its score is strictly higher (scores start at −10⁸, feature 0 by default).
    private static func forwardSelection(_ design: WeightedDesign, maximumFeatures: Int) -> [Int] {
        var used: [Int] = []
        for _ in 0..<min(maximumFeatures, design.columns) {
            var best = 0, bestScore = -100_000_000.0
            for feature in 0..<design.columns where !used.contains(feature) {
                let subset = used + [feature]
                let score = design.score(subset, design.ridge(subset, alpha: 0))
                if score > bestScore {
                    best = feature
                    bestScore = score
                }
            }
            used.append(best)
        }
        return used
    }
}

/// The indices of `values` by decreasing value, equal values in index order — Python's
/// `sorted(..., reverse=True)`, which lime uses to rank features.
func stableDescendingOrder(_ values: [Double]) -> [Int] {
    values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
}
