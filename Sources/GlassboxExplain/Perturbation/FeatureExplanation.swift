/// A perturbation method's explanation of one prediction by its interpretable features: LIME's
/// local linear model or Shapley values.
public struct FeatureExplanation: Sendable, Codable, Equatable {
    /// One number per feature: LIME's coefficient (zero for features not selected) or the
    /// feature's Shapley value.
    public var values: [Double]
    /// LIME's intercept, or the Shapley methods' base value: the output with every feature
    /// absent (averaged over the background rows).
    public var baseValue: Double
    /// The explained output of the input itself.
    public var prediction: Double
    /// LIME's surrogate at the input (`local_pred`); nil for the Shapley methods.
    public var localPrediction: Double?
    /// LIME's weighted R² of the surrogate on its samples (`score`); nil for the Shapley methods.
    public var score: Double?
    /// Per feature, the standard error of a sampled estimate (Shapley value sampling); nil otherwise.
    public var standardErrors: [Double]?
    /// How many coalitions (or samples) the model was run on.
    public var evaluations: Int

    /// An explanation from its parts.
    public init(
        values: [Double], baseValue: Double, prediction: Double, localPrediction: Double? = nil,
        score: Double? = nil, standardErrors: [Double]? = nil, evaluations: Int
    ) {
        self.values = values
        self.baseValue = baseValue
        self.prediction = prediction
        self.localPrediction = localPrediction
        self.score = score
        self.standardErrors = standardErrors
        self.evaluations = evaluations
    }

    /// The features ordered by the size of their value, largest first (ties by number).
    public var featuresByMagnitude: [Int] {
        values.indices.sorted { (abs(values[$0]), $1) > (abs(values[$1]), $0) }
    }
}
