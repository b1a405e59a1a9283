import GlassboxCore

extension DigitsDataset {
    /// Images a digits classifier never saw in training, for out-of-distribution
    /// detection (Hendrycks & Gimpel 2017, "A baseline for detecting misclassified
    /// and out-of-distribution examples").
    public enum OutOfDistribution: String, Sendable, CaseIterable {
        /// Pixels uniform in [0, 1] (Philox stream 0 of the seed).
        case noise
        /// Each image's pixels p replaced by 1 − p: light strokes on a dark ground.
        case inverted
        /// Each image turned 90° counter-clockwise.
        case rotated
    }

    /// One out-of-distribution image for each of this set's images (1×8×8 each, concatenated).
    public func outOfDistribution(_ kind: OutOfDistribution, seed: UInt64 = 0) -> [Float] {
        switch kind {
        case .noise:
            return (0..<images.count).map { Philox.uniform(RandomStream(seed: seed), index: UInt64($0)) }
        case .inverted:
            return images.map { 1 - $0 }
        case .rotated:
            let side = 8
            return (0..<count).flatMap { image in
                (0..<(side * side)).map { index in
                    let (row, column) = (index / side, index % side)
                    // Output (row, column) of a counter-clockwise turn reads input (column, side − 1 − row).
                    return images[image * side * side + column * side + (side - 1 - row)]
                }
            }
        }
    }
}
