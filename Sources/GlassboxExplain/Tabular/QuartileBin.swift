/// One bin of a feature discretized by ``QuartileDiscretizer``: lime 0.2.0.1's per-bin statistics
/// (`BaseDiscretizer` in `lime/discretize.py`; Ribeiro, Singh & Guestrin, "Why should I trust you?",
/// KDD 2016), from which LIME's tabular sampler draws values.
public struct QuartileBin: Sendable, Equatable {
    /// The condition lime prints for the bin, e.g. `"mean radius <= 11.64"`,
    /// `"11.64 < mean radius <= 13.28"`, `"mean radius > 15.76"` (edges with `%.2f`).
    public let name: String
    /// The mean of the training values in the bin (0 for an empty bin, as lime).
    public let mean: Double
    /// The population standard deviation of the training values in the bin plus 10⁻¹¹, as lime
    /// (10⁻¹¹ for an empty bin).
    public let standardDeviation: Double
    /// The lower end of the values drawn in the bin: the training minimum for the first bin, the
    /// quartile below the bin for the others (lime's `mins`).
    public let minimum: Double
    /// The upper end of the values drawn in the bin: the quartile above the bin, the training
    /// maximum for the last bin (lime's `maxs`).
    public let maximum: Double
    /// The fraction of training rows whose value falls in the bin (lime's `feature_frequencies`).
    public let frequency: Double
}
