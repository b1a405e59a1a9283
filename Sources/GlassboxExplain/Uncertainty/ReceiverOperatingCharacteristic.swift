/// The receiver operating characteristic of a score that should be higher for
/// positives (out-of-distribution inputs) than for negatives (in-distribution).
public enum ReceiverOperatingCharacteristic {
    /// The area under the ROC curve: the probability that a random positive
    /// scores higher than a random negative, ties counting one half (the
    /// Mann–Whitney U statistic divided by n₊·n₋; Hanley & McNeil 1982). Sorts
    /// once: O((n₊ + n₋) log(n₊ + n₋)). Nil when either set is empty.
    public static func areaUnderCurve(positives: [Double], negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let scored = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0, index = 0
        while index < scored.count {
            var end = index
            while end + 1 < scored.count && scored[end + 1].0 == scored[index].0 { end += 1 }
            let averageRank = Double(index + end) / 2 + 1
            rankSum += averageRank * Double(scored[index...end].filter(\.1).count)
            index = end + 1
        }
        let p = Double(positives.count), n = Double(negatives.count)
        return (rankSum - p * (p + 1) / 2) / (p * n)
    }
}
