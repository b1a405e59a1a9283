import Foundation

/// How good and how honest a classifier's probabilities are on labelled data:
/// accuracy, negative log-likelihood, the Brier score and the expected
/// calibration error with its reliability bins (Guo et al. 2017, "On
/// calibration of modern neural networks"; Brier 1950).
public struct CalibrationMetrics: Sendable, Hashable, Codable {
    /// One confidence bin of the reliability diagram.
    public struct Bin: Sendable, Hashable, Codable {
        /// The bin's confidence interval [lower, upper).
        public var lower: Double
        public var upper: Double
        public var count: Int
        /// The mean confidence (largest probability) of its predictions.
        public var confidence: Double
        /// The share of its predictions that are right.
        public var accuracy: Double
    }

    public var sampleCount: Int
    /// The share of predictions (largest mean probability) equal to the label.
    public var accuracy: Double
    /// The mean of −log p(label), with p clamped to at least 1e-12.
    public var negativeLogLikelihood: Double
    /// The mean over samples of Σₖ (pₖ − 1[k = label])² (the multi-class Brier score, 0…2).
    public var brierScore: Double
    /// Σ_b |B_b|/n · |accuracy(B_b) − confidence(B_b)| over equal-width confidence bins.
    public var expectedCalibrationError: Double
    /// The bins (empty ones included, with zero count).
    public var bins: [Bin]

    /// The metrics of predictive distributions against `labels`, with `binCount` confidence bins (15 in Guo et al.).
    public init(predictions: [PredictiveUncertainty], labels: [Int], binCount: Int = 15) {
        precondition(predictions.count == labels.count && !labels.isEmpty && binCount > 0)
        var correct = 0, nll = 0.0, brier = 0.0
        var binCounts = [Int](repeating: 0, count: binCount), binConfidence = [Double](repeating: 0, count: binCount)
        var binCorrect = [Int](repeating: 0, count: binCount)
        for (prediction, label) in zip(predictions, labels) {
            let p = prediction.meanProbabilities.map(Double.init)
            let right = prediction.predictedClass == label
            if right { correct += 1 }
            nll -= log(max(p[label], 1e-12))
            brier += p.indices.reduce(0) { $0 + pow(p[$1] - ($1 == label ? 1 : 0), 2) }
            let confidence = p[prediction.predictedClass]
            let bin = min(Int(confidence * Double(binCount)), binCount - 1)
            binCounts[bin] += 1
            binConfidence[bin] += confidence
            if right { binCorrect[bin] += 1 }
        }
        let n = Double(labels.count)
        sampleCount = labels.count
        accuracy = Double(correct) / n
        negativeLogLikelihood = nll / n
        brierScore = brier / n
        bins = (0..<binCount).map { b in
            let count = binCounts[b]
            return Bin(
                lower: Double(b) / Double(binCount), upper: Double(b + 1) / Double(binCount), count: count,
                confidence: count > 0 ? binConfidence[b] / Double(count) : 0,
                accuracy: count > 0 ? Double(binCorrect[b]) / Double(count) : 0)
        }
        expectedCalibrationError = bins.reduce(0) { $0 + Double($1.count) / n * abs($1.accuracy - $1.confidence) }
    }
}
