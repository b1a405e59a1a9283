/// The normalised-error limits of the suite's cases (see ``ConformanceCase/normalisedError(_:_:)``).
enum Tolerance {
    /// Elementwise, shape and memory operations: a few float roundings.
    static let elementwise = 1e-5
    /// Operations with long sums or transcendental chains: matrix products,
    /// convolutions, reductions, softmax, sample statistics.
    static let accumulation = 1e-4
}
