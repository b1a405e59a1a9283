/// The hold-out rule of the built-in data sets' `split(testFraction:)`: deterministic, without
/// random numbers, and stratified by class.
///
/// The samples of each class are numbered 0, 1, 2, … in data set order. Sample number `k` of its
/// class goes to the test set exactly when `⌊(k + 1)·f⌋ > ⌊k·f⌋` (with `f` the test fraction,
/// computed with a 1e-9 tolerance), otherwise to the training set. So each class contributes
/// `⌊n·f⌋` of its `n` samples to the test set, spread evenly through it; with `f = 0.2` that is
/// every 5th sample of each class (numbers 4, 9, 14, …). Both halves keep data set order.
enum StratifiedSplit {
    /// The indices of the training and of the test samples, each in increasing order.
    ///
    /// - Parameters:
    ///   - labels: The class of every sample.
    ///   - testFraction: The share of each class to hold out, in 0…1.
    static func indices(labels: [Int], testFraction: Double) -> (train: [Int], test: [Int]) {
        precondition((0...1).contains(testFraction), "testFraction \(testFraction) is outside 0...1")
        var seenPerClass: [Int: Int] = [:]
        var train: [Int] = []
        var test: [Int] = []
        for (index, label) in labels.enumerated() {
            let number = seenPerClass[label, default: 0]
            seenPerClass[label] = number + 1
            let before = (Double(number) * testFraction + 1e-9).rounded(.down)
            let after = (Double(number + 1) * testFraction + 1e-9).rounded(.down)
            if after > before {
                test.append(index)
            } else {
                train.append(index)
            }
        }
        return (train, test)
    }
}
