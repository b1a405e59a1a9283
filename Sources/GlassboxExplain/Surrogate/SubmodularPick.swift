import GlassboxCore

/// SP-LIME's submodular pick (Ribeiro, Singh & Guestrin, "Why should I trust you?", KDD 2016, §4,
/// Algorithm 2), as lime 0.2.0.1's `SubmodularPick` after the explanations are made: from the
/// explanation matrix W (instances × features, each row an instance's explanation weights), the
/// global importance of feature j is `I_j = √(Σ_i |W_ij|)`, and B instances are picked greedily,
/// each maximising the coverage `Σ_j I_j [some picked instance has W_ij ≠ 0]` of the set so far.
///
/// As lime, candidates are tried in instance order and a later candidate with equal coverage wins
/// (`>=`), and a budget above the number of instances picks them all.
public struct SubmodularPick: Sendable, Equatable, Codable {
    /// The picked instances, in the order picked.
    public var picked: [Int]
    /// The global importance `I_j` of each feature.
    public var importances: [Double]
    /// The coverage of the picked set.
    public var coverage: Double

    /// Picks `budget` instances.
    ///
    /// - Parameters:
    ///   - weights: W, `instances × features` row-major.
    ///   - instances: The number of instances (rows of W).
    ///   - features: The number of features (columns of W).
    ///   - budget: How many instances to pick (lime's `num_exps_desired`).
    /// - Throws: `GlassboxError.shapeMismatch` when W does not have `instances × features` values,
    ///   `GlassboxError.invalidArgument` when `budget < 1` or W is empty or not finite.
    public init(weights: [Double], instances: Int, features: Int, budget: Int) throws {
        guard instances >= 1, features >= 1 else {
            throw GlassboxError.invalidArgument(
                "SubmodularPick: needs at least one instance and one feature, got \(instances) × \(features)")
        }
        guard weights.count == instances * features else {
            throw GlassboxError.shapeMismatch(
                "SubmodularPick: weights has \(weights.count) values, expected \(instances) × \(features)")
        }
        guard budget >= 1 else { throw GlassboxError.invalidArgument("SubmodularPick: budget is \(budget), not ≥ 1") }
        guard weights.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidArgument("SubmodularPick: weights must be finite")
        }
        let importances = (0..<features).map { j in
            (0..<instances).reduce(0) { $0 + abs(weights[$1 * features + j]) }.squareRoot()
        }
        var covered = [Bool](repeating: false, count: features)
        var picked: [Int] = []
        var coverage = 0.0
        for _ in 0..<min(budget, instances) {
            var best = 0.0, choice = 0
            for i in 0..<instances where !picked.contains(i) {
                let candidate = (0..<features).reduce(0.0) { sum, j in
                    covered[j] || weights[i * features + j] != 0 ? sum + importances[j] : sum
                }
                if candidate >= best {
                    best = candidate
                    choice = i
                }
            }
            picked.append(choice)
            coverage = best
            for j in 0..<features where weights[choice * features + j] != 0 { covered[j] = true }
        }
        self.picked = picked
        self.importances = importances
        self.coverage = coverage
    }
}
