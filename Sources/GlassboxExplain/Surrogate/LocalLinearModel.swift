import GlassboxCore

/// LIME's local linear explanation (Ribeiro, Singh & Guestrin, "Why should I trust you?", KDD 2016,
/// §3.3–3.4): a weighted ridge regression of the model's scores on interpretable features, fitted
/// to perturbed samples weighted by their proximity to the instance — lime 0.2.0.1's
/// `LimeBase.explain_instance_with_data` with its default regressor.
///
/// ``fit(data:features:labels:weights:selection:maximumFeatures:alpha:)`` chooses features with a
/// ``FeatureSelection`` and fits scikit-learn's `Ridge(alpha=1, fit_intercept=True)` with
/// `sample_weight`: columns and scores centred on their weighted means, `β = (ZᵀWZ + αI)⁻¹ ZᵀWy`,
/// intercept `ȳ_w − x̄_wᵀβ`, in Float64 (Cholesky; the minimum-norm solution when the system is
/// singular, as scikit-learn's SVD fallback). Given the same data, scores and weights it reproduces
/// lime's intercept, coefficients, score and local prediction (to 10⁻⁶ in the fixtures).
public struct LocalLinearModel: Sendable, Equatable, Codable {
    /// The intercept of the fit (lime's `intercept`).
    public var intercept: Double
    /// The selected features (column indices of the data), by decreasing `|coefficient|`, ties in
    /// selection order — lime's ordering of the explanation.
    public var features: [Int]
    /// The coefficient of each of ``features``, in the same order.
    public var coefficients: [Double]
    /// The weighted R² of the fit on the samples (scikit-learn's `Ridge.score` with `sample_weight`;
    /// lime's `score`).
    public var score: Double
    /// The fit's prediction at the first row, the instance (lime's `local_pred`).
    public var localPrediction: Double

    /// Fits LIME's local linear model.
    ///
    /// - Parameters:
    ///   - data: The interpretable representation of the N samples, N×`features` row-major; the
    ///     first row is the instance (all ones for binary masks).
    ///   - features: The number of interpretable features F.
    ///   - labels: The model's score of the explained class for each sample (N values).
    ///   - weights: Each sample's proximity weight (N non-negative values with a positive sum),
    ///     e.g. from ``LimeKernel``.
    ///   - selection: How features are chosen.
    ///   - maximumFeatures: The most features the explanation keeps (lime's `num_features`; at least
    ///     1; ignored by ``FeatureSelection/none``).
    ///   - alpha: The ridge penalty of the final fit (lime: 1; must be non-negative).
    /// - Throws: `GlassboxError.shapeMismatch` when the lengths disagree,
    ///   `GlassboxError.invalidArgument` for an empty or non-finite input, negative weights or
    ///   weights that sum to 0, `maximumFeatures < 1` or a negative `alpha`.
    public static func fit(
        data: [Double], features: Int, labels: [Double], weights: [Double], selection: FeatureSelection,
        maximumFeatures: Int, alpha: Double = 1
    ) throws -> LocalLinearModel {
        try validate(data: data, features: features, labels: labels, weights: weights)
        guard maximumFeatures >= 1 else {
            throw GlassboxError.invalidArgument("LocalLinearModel.fit: maximumFeatures is \(maximumFeatures), not ≥ 1")
        }
        guard alpha >= 0, alpha.isFinite else {
            throw GlassboxError.invalidArgument("LocalLinearModel.fit: alpha is \(alpha), not a finite value ≥ 0")
        }
        let design = WeightedDesign(data: data, columns: features, labels: labels, weights: weights)
        let used = selection.features(of: design, maximumFeatures: maximumFeatures)
        let beta = design.ridge(used, alpha: alpha)
        var intercept = design.labelMean
        var localPrediction = 0.0
        for (feature, coefficient) in zip(used, beta) {
            intercept -= design.means[feature] * coefficient
            localPrediction += design.instance[feature] * coefficient
        }
        let order = stableDescendingOrder(beta.map(abs))
        return LocalLinearModel(
            intercept: intercept, features: order.map { used[$0] }, coefficients: order.map { beta[$0] },
            score: design.score(used, beta), localPrediction: intercept + localPrediction)
    }

    /// Checks the shapes and values of ``fit(data:features:labels:weights:selection:maximumFeatures:alpha:)``'s inputs.
    private static func validate(data: [Double], features: Int, labels: [Double], weights: [Double]) throws {
        guard features >= 1, !labels.isEmpty else {
            throw GlassboxError.invalidArgument(
                "LocalLinearModel.fit: needs at least one sample and one feature, got \(labels.count) and \(features)")
        }
        guard data.count == labels.count * features else {
            throw GlassboxError.shapeMismatch(
                "LocalLinearModel.fit: data has \(data.count) values, expected \(labels.count) samples × \(features) features"
            )
        }
        guard weights.count == labels.count else {
            throw GlassboxError.shapeMismatch(
                "LocalLinearModel.fit: weights has \(weights.count) values, expected one per sample (\(labels.count))")
        }
        guard data.allSatisfy(\.isFinite), labels.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidArgument("LocalLinearModel.fit: data and labels must be finite")
        }
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.reduce(0, +) > 0 else {
            throw GlassboxError.invalidArgument(
                "LocalLinearModel.fit: weights must be finite and non-negative with a positive sum")
        }
    }
}
