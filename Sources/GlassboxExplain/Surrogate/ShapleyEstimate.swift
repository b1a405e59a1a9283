/// A Monte Carlo estimate of Shapley values (Štrumbelj & Kononenko, "Explaining prediction models
/// and individual predictions with feature contributions", KAIS 2014): the mean marginal
/// contribution of each feature over sampled permutations and its standard error.
public struct ShapleyEstimate: Sendable, Equatable, Codable {
    /// The estimated Shapley value of each feature (Captum's `ShapleyValueSampling` attribution).
    public var values: [Double]
    /// The standard error of each estimate, `s / √P` with `s` the sample standard deviation
    /// (denominator `P − 1`) of its P marginal contributions; NaN for a single permutation.
    public var standardErrors: [Double]

    /// An estimate with the given values and standard errors.
    public init(values: [Double], standardErrors: [Double]) {
        self.values = values
        self.standardErrors = standardErrors
    }
}
