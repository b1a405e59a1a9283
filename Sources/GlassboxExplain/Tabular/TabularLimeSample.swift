/// LIME's perturbed samples of one table row (Ribeiro, Singh & Guestrin, "Why should I trust you?",
/// KDD 2016), as lime 0.2.0.1's `LimeTabularExplainer` with its quartile discretizer makes them
/// (`__data_inverse` and `explain_instance`): made by ``QuartileDiscretizer/sample(instance:count:stream:)``.
///
/// Row 0 is the instance itself. ``binary`` and ``distances`` are what LIME's local linear model
/// regresses on and weights by (with `LimeKernel.tabular(features:)`, width `√F·0.75`);
/// ``values`` is what the model must score.
public struct TabularLimeSample: Sendable, Equatable {
    /// The number of samples N, the instance included.
    public let count: Int
    /// The number of features F.
    public let features: Int
    /// The interpretable representation, N×F row-major: 1 where the sample's value lies in the
    /// instance's bin, else 0; row 0 is all ones. lime's scaled data equals it: once every column is
    /// discretized, lime's scaler has mean 0 and scale 1.
    public let binary: [Double]
    /// The samples as the model sees them, N×F row-major: row 0 the instance, each other value drawn
    /// in its bin.
    public let values: [Float]
    /// The Euclidean distance of each row of ``binary`` from row 0 (N values; lime's
    /// `pairwise_distances(scaled_data, scaled_data[0])`).
    public let distances: [Double]
}
