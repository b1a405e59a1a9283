/// The lasso regularisation path by least-angle regression (Efron, Hastie, Johnstone & Tibshirani,
/// "Least angle regression", Annals of Statistics 2004, §3.1 "the LARS–lasso modification"), ported
/// step by step from scikit-learn 1.9's `lars_path(X, y, method='lasso')` (its `_lars_path_solver`
/// without a precomputed Gram matrix, `alpha_min=0`, `max_iter=500`, `eps` machine epsilon), which
/// lime's `lasso_path` feature selection calls.
///
/// Kept from scikit-learn, because they decide which variables enter: the most correlated variable
/// enters (the first on ties), correlations of the equiangular direction are rounded to 15
/// decimals, step lengths are the smallest positive candidates with float32's smallest normal added
/// to denominators, a variable whose coefficient would change sign leaves, a nearly dependent
/// variable (Cholesky pivot below 10⁻⁷) is dropped for good with scikit-learn's exact bookkeeping,
/// and the path stops when the largest correlation over N is within float32's epsilon of zero or
/// grows. Different: after a drop the Cholesky factor of the active columns is recomputed rather
/// than downdated by Givens rotations, a leaving coefficient is set to exactly 0 on the step where
/// it leaves (scikit-learn leaves a rounding residue there), and exact ties among leaving
/// variables remove them all.
struct LassoPath {
    /// The coefficients (F values) at each step, starting from all zeros.
    private(set) var coefficients: [[Double]]
    /// The regularisation strength `max |Xᵀr| / N` at each step.
    private(set) var alphas: [Double] = []

    /// float32's smallest normal number, scikit-learn's guard against division by 0.
    private static let tiny = Double(Float.leastNormalMagnitude)
    /// float32's machine epsilon, scikit-learn's `equality_tolerance`.
    private static let equalityTolerance = Double(Float.ulpOfOne)
    /// scikit-learn's default `max_iter`.
    private static let maximumIterations = 500

    /// Runs the path on the weighted, centred design of lime's `lasso_path` selection.
    init(_ design: WeightedDesign) {
        coefficients = [[Double](repeating: 0, count: design.columns)]
        var state = State(design)
        while let alpha = state.step(coefficients: &coefficients) {
            alphas.append(alpha)
        }
        alphas.append(state.finalAlpha)
    }

    /// The nonzero features lime uses for at most `maximumFeatures`: scanning the steps from the last
    /// down to the second, the first whose coefficients have at most that many nonzeros — else the
    /// second step's; every feature when the path has a single step.
    func lime(maximumFeatures: Int, features: Int) -> [Int] {
        var nonzero = Array(0..<features)
        for step in stride(from: coefficients.count - 1, to: 0, by: -1) {
            nonzero = coefficients[step].indices.filter { coefficients[step][$0] != 0 }
            if nonzero.count <= maximumFeatures { break }
        }
        return nonzero
    }

    /// The solver's working state: scikit-learn's `X` (columns permuted so the active ones come
    /// first), `indices`, `Cov` (correlations of the inactive columns), `L` and the signs.
    private struct State {
        let rows: Int
        let features: Int
        var columns: [[Double]]
        let target: [Double]
        var indices: [Int]
        var correlations: [Double]
        var factor: [[Double]] = []
        var signs: [Double] = []
        var active: [Int] = []
        var dropped = false
        var iteration = 0
        /// The alpha of the latest completed step (scikit-learn's `prev_alpha`).
        var previousAlpha = Double.infinity
        /// The alpha of the last step, once the path has ended.
        var finalAlpha = 0.0

        init(_ design: WeightedDesign) {
            rows = design.rows
            features = design.columns
            columns = (0..<design.columns).map { Array(design.z[$0 * design.rows..<($0 + 1) * design.rows]) }
            target = design.labels
            indices = Array(0..<design.columns)
            correlations = (0..<design.columns).map { design.dot(column: $0, design.labels) }
        }

        /// One pass of scikit-learn's loop: the alpha of the current step, with the next step's
        /// coefficients appended; nil (with ``finalAlpha`` set) when the path ends here.
        mutating func step(coefficients: inout [[Double]]) -> Double? {
            while true {
                var largest = 0, strength = 0.0
                for (k, value) in correlations.enumerated() where abs(value) > strength {
                    largest = k
                    strength = abs(value)
                }
                let alpha = strength / Double(rows)
                if alpha <= LassoPath.equalityTolerance || iteration >= LassoPath.maximumIterations
                    || active.count >= features
                {
                    finalAlpha = alpha
                    return nil
                }
                if !dropped {
                    guard enter(largest) else { continue }
                }
                if alpha > previousAlpha {
                    finalAlpha = alpha
                    return nil
                }
                advance(strength: strength, coefficients: &coefficients)
                previousAlpha = alpha
                return alpha
            }
        }

        /// Moves the inactive variable `k` (a position in ``correlations``) into the active set,
        /// extending the Cholesky factor; false when it is nearly dependent on the active ones and
        /// has been dropped for good instead.
        mutating func enter(_ k: Int) -> Bool {
            let m = active.count, n = k + m
            signs.append(correlations[k] > 0 ? 1 : (correlations[k] < 0 ? -1 : 0))
            correlations.swapAt(k, 0)
            indices.swapAt(n, m)
            columns.swapAt(n, m)
            let notShortened = correlations
            correlations.removeFirst()
            let (row, pivot) = factorRow(m)
            if pivot < 1e-7 {
                // scikit-learn's "drop for good": its correlation becomes 0; the columns stay swapped.
                signs.removeLast()
                correlations = notShortened
                correlations[0] = 0
                correlations.swapAt(k, 0)
                return false
            }
            factor.append(row + [pivot])
            active.append(indices[m])
            return true
        }

        /// Row `m` of the Cholesky factor of the Gram matrix of columns `0...m` below the diagonal, and its
        /// pivot `max(√|‖x_m‖² − ‖row‖²|, ε)`, given the factor's rows `0..<m`.
        func factorRow(_ m: Int) -> (row: [Double], pivot: Double) {
            let norm = columns[m].reduce(0) { $0 + $1 * $1 }
            var row = (0..<m).map { dot(columns[m], columns[$0]) }
            for i in 0..<m {
                for k in 0..<i { row[i] -= factor[i][k] * row[k] }
                row[i] /= factor[i][i]
            }
            return (row, max(abs(norm - dot(row, row)).squareRoot(), Double.ulpOfOne))
        }

        /// Computes the equiangular direction, walks along it to the next event (a variable joins or a
        /// coefficient reaches 0) and appends the resulting coefficients.
        mutating func advance(strength: Double, coefficients: inout [[Double]]) {
            let count = active.count
            var direction = solveFactor(signs)
            var normalizer = 1 / direction.indices.reduce(0) { $0 + direction[$1] * signs[$1] }.squareRoot()
            if !normalizer.isFinite {
                var regularized = factor
                var power = 0
                while !normalizer.isFinite {
                    let bump = Double(sign: .plus, exponent: power, significand: 1) * .ulpOfOne
                    for i in 0..<count { regularized[i][i] += bump }
                    direction = State.solve(regularized, signs)
                    let sum = max(direction.indices.reduce(0) { $0 + direction[$1] * signs[$1] }, .ulpOfOne)
                    normalizer = 1 / sum.squareRoot()
                    power += 1
                }
            }
            direction = direction.map { $0 * normalizer }
            var equiangular = [Double](repeating: 0, count: rows)
            for k in 0..<count {
                for i in 0..<rows { equiangular[i] += columns[k][i] * direction[k] }
            }
            let inactiveCorrelations = (count..<features).map { roundedTo15Decimals(dot(columns[$0], equiangular)) }
            var gamma = strength / normalizer
            for (c, a) in zip(correlations, inactiveCorrelations) {
                gamma = min(gamma, minimumPositive((strength - c) / (normalizer - a + LassoPath.tiny)))
                gamma = min(gamma, minimumPositive((strength + c) / (normalizer + a + LassoPath.tiny)))
            }
            let previous = coefficients[coefficients.count - 1]
            let crossings = (0..<count).map { -previous[active[$0]] / (direction[$0] + LassoPath.tiny) }
            let crossing = crossings.reduce(Double.greatestFiniteMagnitude) { min($0, minimumPositive($1)) }
            var leaving: [Int] = []
            if crossing < gamma {
                leaving = crossings.indices.filter { crossings[$0] == crossing }.reversed()
                for k in leaving { signs[k] = -signs[k] }
                gamma = crossing
            }
            dropped = !leaving.isEmpty
            iteration += 1
            var next = [Double](repeating: 0, count: features)
            for k in 0..<count { next[active[k]] = previous[active[k]] + gamma * direction[k] }
            for k in 0..<correlations.count { correlations[k] -= gamma * inactiveCorrelations[k] }
            for k in leaving { next[active[k]] = 0 }
            coefficients.append(next)
            if dropped { drop(leaving, coefficients: next) }
        }

        /// Removes the active variables at positions `leaving` (descending): each column moves to the
        /// first inactive place, its correlation with the residual becomes the first inactive
        /// correlation, and the Cholesky factor of the remaining active columns is recomputed.
        mutating func drop(_ leaving: [Int], coefficients: [Double]) {
            for k in leaving {
                active.remove(at: k)
                signs.remove(at: k)
                for i in k..<active.count {
                    columns.swapAt(i, i + 1)
                    indices.swapAt(i, i + 1)
                }
            }
            var residual = target
            for (k, feature) in active.enumerated() {
                for i in 0..<rows { residual[i] -= columns[k][i] * coefficients[feature] }
            }
            let released = (active.count..<(active.count + leaving.count)).map { dot(columns[$0], residual) }
            correlations = released + correlations
            factor = []
            for m in 0..<active.count {
                let (row, pivot) = factorRow(m)
                factor.append(row + [pivot])
            }
        }

        /// Solves `L Lᵀ x = b` with the current factor.
        func solveFactor(_ b: [Double]) -> [Double] { State.solve(factor, b) }

        /// Solves `L Lᵀ x = b` for a lower-triangular `L` given by rows.
        static func solve(_ l: [[Double]], _ b: [Double]) -> [Double] {
            var y = b
            for i in y.indices {
                for k in 0..<i { y[i] -= l[i][k] * y[k] }
                y[i] /= l[i][i]
            }
            for i in y.indices.reversed() {
                for k in (i + 1)..<y.count { y[i] -= l[k][i] * y[k] }
                y[i] /= l[i][i]
            }
            return y
        }
    }
}

/// The dot product of two equally long vectors.
private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices { sum += a[i] * b[i] }
    return sum
}

/// `value` if it is positive, else the largest finite double (scikit-learn's `min_pos` of one value).
private func minimumPositive(_ value: Double) -> Double {
    value > 0 ? value : .greatestFiniteMagnitude
}

/// numpy's `np.around(value, 15)`: `rint(value · 10¹⁵) / 10¹⁵`.
private func roundedTo15Decimals(_ value: Double) -> Double {
    (value * 1e15).rounded(.toNearestOrEven) / 1e15
}
