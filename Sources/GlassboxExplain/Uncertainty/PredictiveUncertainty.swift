import Foundation

/// What T stochastic predictions of one input say about the model's certainty:
/// the mean class probabilities and their spread, and the decomposition of the
/// predictive entropy into an aleatoric and an epistemic part (Depeweg et al.
/// 2018, "Decomposition of uncertainty in Bayesian deep learning"; Gal 2016,
/// "Uncertainty in deep learning", §3.3):
///
/// - total = H[𝔼ₜ p] (predictive entropy),
/// - aleatoric = 𝔼ₜ H[pₜ] (expected entropy: noise the model sees in the data),
/// - epistemic = total − aleatoric (the mutual information between the
///   prediction and the weights: disagreement between the samples).
///
/// Entropies are in nats; they are computed in double precision from the samples.
public struct PredictiveUncertainty: Sendable, Hashable, Codable {
    /// The number of stochastic predictions T.
    public var sampleCount: Int
    /// 𝔼ₜ pₜ per class.
    public var meanProbabilities: [Float]
    /// The standard deviation of pₜ per class over the samples (population, 1/T).
    public var standardDeviations: [Float]
    /// The class of the largest mean probability.
    public var predictedClass: Int
    /// H[𝔼ₜ p].
    public var totalEntropy: Double
    /// 𝔼ₜ H[pₜ].
    public var aleatoricEntropy: Double
    /// Each sample's probability of ``predictedClass`` (for its histogram).
    public var predictedClassSamples: [Float]

    /// The mutual information total − aleatoric (≥ 0 by Jensen's inequality; clamped at 0 against rounding).
    public var mutualInformation: Double { max(totalEntropy - aleatoricEntropy, 0) }

    /// The decomposition of `samples`: T rows of K class probabilities, row-major.
    public init(samples: ArraySlice<Float>, classes: Int) {
        precondition(classes > 0 && !samples.isEmpty && samples.count % classes == 0, "T×K probabilities expected")
        let count = samples.count / classes, base = samples.startIndex
        var mean = [Double](repeating: 0, count: classes), squares = [Double](repeating: 0, count: classes)
        var expectedEntropy = 0.0
        for t in 0..<count {
            var entropy = 0.0
            for k in 0..<classes {
                let p = Double(samples[base + t * classes + k])
                mean[k] += p
                squares[k] += p * p
                entropy -= Self.plogp(p)
            }
            expectedEntropy += entropy
        }
        mean = mean.map { $0 / Double(count) }
        let predicted = mean.indices.max { mean[$0] < mean[$1] }!
        sampleCount = count
        meanProbabilities = mean.map(Float.init)
        standardDeviations = zip(squares, mean).map { Float(max($0 / Double(count) - $1 * $1, 0).squareRoot()) }
        predictedClass = predicted
        totalEntropy = -mean.reduce(0) { $0 + Self.plogp($1) }
        aleatoricEntropy = expectedEntropy / Double(count)
        predictedClassSamples = (0..<count).map { samples[base + $0 * classes + predicted] }
    }

    /// p·log p, with 0·log 0 = 0.
    static func plogp(_ p: Double) -> Double { p > 0 ? p * log(p) : 0 }

    /// Counts of ``predictedClassSamples`` in `bins` equal bins over [0, 1] (1 falls in the last).
    public func histogram(bins: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: bins)
        for p in predictedClassSamples { counts[min(max(Int(Double(p) * Double(bins)), 0), bins - 1)] += 1 }
        return counts
    }
}
