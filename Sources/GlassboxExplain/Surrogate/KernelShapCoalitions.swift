import GlassboxCore

/// The coalitions KernelSHAP evaluates and their regression weights (Lundberg & Lee, "A unified
/// approach to interpreting model predictions", NeurIPS 2017, §4.1), planned exactly as shap 0.51's
/// `KernelExplainer.explain` does, with the random draws from Glassbox's Philox generator.
///
/// Only the M *varying* features take part (shap's `varying_groups`: a feature whose value in the
/// input equals every background row's cannot change the output, gets φ = 0 and is never
/// sampled). With a budget of `samples` coalitions (default `2M + 2048`, at most `2^M − 2`, the
/// empty and full coalitions being constraints): coalition sizes `s` and `M − s` are paired for
/// `s ≤ ⌊(M−1)/2⌋`, each size gets the share `(M − 1) / (s (M − s))` of the Shapley kernel (doubled
/// when paired, normalised); from `s = 1` up, while the budget left times the size's renormalised
/// share covers all its coalitions, every coalition of that size (in `itertools.combinations`
/// order, each followed by its complement when paired) is added with its kernel weight. The rest
/// of the budget is drawn: up to `4 ×` the samples left attempts, each a size from the remaining
/// shares (halved for paired sizes) and a uniformly random subset of that size, plus its
/// complement for a paired size; a coalition drawn again adds 1 to its (and its complement's)
/// count instead of a row; finally the drawn rows' counts are scaled to sum to the remaining
/// kernel share.
///
/// Differences from shap: the draws are the uniform draws (`Philox.uniform`) of the given stream,
/// in order, rather than numpy's global generator. Each attempt takes the next draw `u` for the
/// size, by inverse CDF as numpy's `choice` (the first size whose cumulative share exceeds `u`),
/// then one draw per member for the subset, by a partial Fisher–Yates shuffle of `0..<M` (position
/// `i` swaps with `i + ⌊u (M − i)⌋`) where shap takes the head of `np.random.permutation(M)`.
public struct KernelShapCoalitions: Sendable, Equatable {
    /// The number of features F of the input.
    public let features: Int
    /// The features that vary (ascending); the others get φ = 0.
    public let varyingFeatures: [Int]
    /// shap's `nsamples`: the number of coalitions asked for, after the default and the cap at
    /// `2^M − 2` (0 when fewer than two features vary: nothing needs evaluating).
    public let budget: Int
    /// shap's `num_full_subsets`: how many sizes (1, 2, …, each with its paired size) were
    /// enumerated completely.
    public let completeSizes: Int
    /// The coalitions, ``count`` × F row-major: 1 where a feature is taken from the input, 0 where
    /// it is taken from the background; features that do not vary are 0.
    public let masks: [Float]
    /// The regression weight of each coalition (shap's `kernelWeights`); they sum to 1.
    public let weights: [Double]

    /// The number of coalitions to evaluate (at most ``budget``).
    public var count: Int { weights.count }

    /// shap's default budget for M varying features, `2M + 2048`.
    public static func defaultSamples(varyingFeatures: Int) -> Int { 2 * varyingFeatures + 2048 }

    /// Plans the coalitions of KernelSHAP.
    ///
    /// - Parameters:
    ///   - features: The number of features F.
    ///   - varyingFeatures: The features that vary, ascending; nil means all of `0..<features`.
    ///   - samples: The budget of coalitions (shap's `nsamples`); nil means ``defaultSamples(varyingFeatures:)``.
    ///   - stream: The Philox stream of the random draws.
    /// - Throws: `GlassboxError.invalidArgument` when `features < 1`, `samples < 1`, or the varying
    ///   features are not ascending, distinct indices below `features`.
    public init(features: Int, varyingFeatures: [Int]? = nil, samples: Int? = nil, stream: RandomStream) throws {
        let varying = varyingFeatures ?? Array(0..<max(features, 0))
        guard features >= 1 else {
            throw GlassboxError.invalidArgument("KernelShapCoalitions: needs at least one feature, got \(features)")
        }
        guard zip(varying, varying.dropFirst()).allSatisfy({ $0 < $1 }),
            varying.allSatisfy({ (0..<features).contains($0) })
        else {
            throw GlassboxError.invalidArgument(
                "KernelShapCoalitions: varyingFeatures \(varying) are not ascending, distinct indices below \(features)"
            )
        }
        if let samples, samples < 1 {
            throw GlassboxError.invalidArgument("KernelShapCoalitions: needs at least one sample, got \(samples)")
        }
        let m = varying.count
        var budget = 0
        var plan = Plan(features: m)
        if m >= 2 {
            budget = samples ?? Self.defaultSamples(varyingFeatures: m)
            if m <= 30 { budget = min(budget, (1 << m) - 2) }
            plan.enumerate(budget: budget)
            plan.draw(budget: budget, stream: stream)
        }
        var masks = [Float](repeating: 0, count: plan.coalitions.count * features)
        for (row, coalition) in plan.coalitions.enumerated() {
            for (k, feature) in varying.enumerated() where coalition[k] { masks[row * features + feature] = 1 }
        }
        self.features = features
        self.varyingFeatures = varying
        self.budget = budget
        self.completeSizes = plan.completeSizes
        self.masks = masks
        self.weights = plan.weights
    }

    /// shap's bookkeeping over the M varying features.
    private struct Plan {
        let m: Int
        /// The number of sizes sampled (`⌈(M−1)/2⌉`) and of those paired with their complement (`⌊(M−1)/2⌋`).
        let sizes: Int, pairedSizes: Int
        /// shap's normalised `weight_vector`: the kernel share of each size `1...sizes`.
        let shares: [Double]
        var coalitions: [[Bool]] = []
        var weights: [Double] = []
        var completeSizes = 0

        init(features m: Int) {
            self.m = m
            sizes = m / 2
            pairedSizes = (m - 1) / 2
            var shares = (0..<sizes).map { i in
                ShapleyWeights.sizeKernel(coalitionSize: i + 1, features: m) * (i < (m - 1) / 2 ? 2 : 1)
            }
            let total = shares.reduce(0, +)
            shares = shares.map { $0 / total }
            self.shares = shares
        }

        /// Adds every coalition of each size (and its complement) while the budget covers the size (M ≥ 2).
        mutating func enumerate(budget: Int) {
            var left = Double(budget)
            var remaining = shares
            for size in 1...sizes {
                let paired = size <= pairedSizes
                let coalitionsOfSize = ShapleyWeights.binomial(m, size) * (paired ? 2 : 1)
                guard left * remaining[size - 1] / coalitionsOfSize >= 1 - 1e-8 else { return }
                completeSizes += 1
                left -= coalitionsOfSize
                if remaining[size - 1] < 1 {
                    let rest = 1 - remaining[size - 1]
                    remaining = remaining.map { $0 / rest }
                }
                let weight = shares[size - 1] / ShapleyWeights.binomial(m, size) / (paired ? 2 : 1)
                var members = Array(0..<size)
                repeat {
                    var coalition = [Bool](repeating: false, count: m)
                    for i in members { coalition[i] = true }
                    append(coalition, weight: weight)
                    if paired { append(coalition.map { !$0 }, weight: weight) }
                } while nextCombination(&members)
            }
        }

        /// Draws the rest of the budget from the sizes not enumerated, merging repeated draws.
        mutating func draw(budget: Int, stream: RandomStream) {
            guard completeSizes < sizes else { return }
            let fixed = coalitions.count
            var left = budget - fixed
            var remaining = shares.enumerated().map { $0.offset < pairedSizes ? $0.element / 2 : $0.element }
            remaining = Array(remaining[completeSizes...])
            var cumulative: [Double] = []
            for share in remaining { cumulative.append((cumulative.last ?? 0) + share) }
            cumulative = cumulative.map { $0 / cumulative[cumulative.count - 1] }
            var draws = Draws(stream: stream)
            var seen: [[UInt64]: Int] = [:]
            let attempts = 4 * left
            var attempt = 0
            while left > 0, attempt < attempts {
                attempt += 1
                let u = draws.next()
                let size = min(cumulative.filter { $0 <= u }.count, remaining.count - 1) + completeSizes + 1
                var order = Array(0..<m)
                for i in 0..<size { order.swapAt(i, i + Int(draws.next() * Double(m - i))) }
                var coalition = [Bool](repeating: false, count: m)
                var key = [UInt64](repeating: 0, count: (m + 63) / 64)
                for i in order.prefix(size) {
                    coalition[i] = true
                    key[i / 64] |= 1 << UInt64(i % 64)
                }
                let previous = seen[key]
                if let previous {
                    weights[previous] += 1
                } else {
                    seen[key] = coalitions.count
                    append(coalition, weight: 1)
                    left -= 1
                }
                if left > 0, size <= pairedSizes {
                    if let previous {
                        weights[previous + 1] += 1
                    } else {
                        append(coalition.map { !$0 }, weight: 1)
                        left -= 1
                    }
                }
            }
            let drawn = weights[fixed...].reduce(0, +)
            guard drawn > 0 else { return }
            let share = shares[completeSizes...].reduce(0, +)
            for row in fixed..<weights.count { weights[row] *= share / drawn }
        }

        mutating func append(_ coalition: [Bool], weight: Double) {
            coalitions.append(coalition)
            weights.append(weight)
        }

        /// Advances `members` (ascending indices below M) to the next combination in lexicographic
        /// order; false after the last.
        func nextCombination(_ members: inout [Int]) -> Bool {
            let k = members.count
            guard let i = (0..<k).last(where: { members[$0] < m - k + $0 }) else { return false }
            members[i] += 1
            for j in (i + 1)..<k { members[j] = members[j - 1] + 1 }
            return true
        }
    }

    /// The uniform draws `0, 1, 2, …` of a Philox stream, filled a block of 1024 at a time.
    private struct Draws {
        let stream: RandomStream
        var buffer = [Float](repeating: 0, count: 1024)
        var filled: UInt64 = 0
        var position = 1024

        init(stream: RandomStream) { self.stream = stream }

        mutating func next() -> Double {
            if position == buffer.count {
                let start = stream.advanced(by: filled)
                buffer.withUnsafeMutableBufferPointer { Philox.fillUniform($0, stream: start) }
                filled += UInt64(buffer.count)
                position = 0
            }
            defer { position += 1 }
            return Double(buffer[position])
        }
    }
}
