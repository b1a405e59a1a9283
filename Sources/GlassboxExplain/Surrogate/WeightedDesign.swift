/// LIME's neighbourhood data weighted and centred as scikit-learn's `Ridge(fit_intercept=True)`
/// prepares it for `fit(X, y, sample_weight=w)` and as lime's `lasso_path` selection does: every
/// column and the labels minus their `w`-weighted means, times `√w`.
///
/// With `Z` these columns and `z` the labels so treated, ridge regression with an intercept is
/// `β = (ZᵀZ + αI)⁻¹ Zᵀz` and intercept `ȳ_w − x̄_wᵀβ`, and the weighted residuals of any `β` are
/// `z − Zβ` — so fits on subsets of the features, their scores and the lasso path all read `Z`.
struct WeightedDesign {
    /// The number of rows (perturbed samples) N.
    let rows: Int
    /// The number of columns (interpretable features) F.
    let columns: Int
    /// The first row of the data, the instance being explained.
    let instance: [Double]
    /// The `w`-weighted mean of each column.
    let means: [Double]
    /// The `w`-weighted mean of the labels.
    let labelMean: Double
    /// `√w_i (x_ij − x̄_j)`, column-major: column j is `z[j*N ..< (j+1)*N]`.
    let z: [Double]
    /// `√w_i (y_i − ȳ)`.
    let labels: [Double]

    /// Weights and centres `data` (N×F row-major), `labels` (N) with `weights` (N, non-negative, positive sum).
    init(data: [Double], columns: Int, labels: [Double], weights: [Double]) {
        let rows = labels.count
        let total = weights.reduce(0, +)
        var means = [Double](repeating: 0, count: columns)
        for i in 0..<rows {
            for j in 0..<columns { means[j] += weights[i] * data[i * columns + j] }
        }
        means = means.map { $0 / total }
        let labelMean = zip(weights, labels).reduce(0) { $0 + $1.0 * $1.1 } / total
        let roots = weights.map { $0.squareRoot() }
        var z = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { z[j * rows + i] = roots[i] * (data[i * columns + j] - means[j]) }
        }
        self.rows = rows
        self.columns = columns
        self.instance = Array(data.prefix(columns))
        self.means = means
        self.labelMean = labelMean
        self.z = z
        self.labels = (0..<rows).map { roots[$0] * (labels[$0] - labelMean) }
    }

    /// The dot product of column `j` with `vector` (N values).
    func dot(column j: Int, _ vector: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<rows { sum += z[j * rows + i] * vector[i] }
        return sum
    }

    /// The dot product of columns `j` and `k`.
    func dot(column j: Int, column k: Int) -> Double {
        var sum = 0.0
        for i in 0..<rows { sum += z[j * rows + i] * z[k * rows + i] }
        return sum
    }

    /// `Σ_k Z[:, subset[k]] β_k`, the centred, weighted predictions of `coefficients` on `subset`.
    func combination(of subset: [Int], _ coefficients: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: rows)
        for (j, beta) in zip(subset, coefficients) {
            for i in 0..<rows { result[i] += z[j * rows + i] * beta }
        }
        return result
    }

    /// scikit-learn's ridge coefficients on the columns `subset` with penalty `alpha`: the solution
    /// of `(Z_SᵀZ_S + αI) β = Z_Sᵀz` (`SymmetricSolver`; minimum norm when singular, as `_solve_svd`).
    func ridge(_ subset: [Int], alpha: Double) -> [Double] {
        let n = subset.count
        var gram = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0...a {
                let value = dot(column: subset[a], column: subset[b])
                gram[a * n + b] = value
                gram[b * n + a] = value
            }
            gram[a * n + a] += alpha
        }
        return SymmetricSolver.solve(gram, subset.map { dot(column: $0, labels) })
    }

    /// The weighted coefficient of determination of `coefficients` on `subset` — scikit-learn's
    /// `r2_score(y, ŷ, sample_weight=w)`, `1 − Σw(y − ŷ)² / Σw(y − ȳ_w)²` — with its conventions
    /// for a constant target: 1 when the residuals vanish too, else 0.
    func score(_ subset: [Int], _ coefficients: [Double]) -> Double {
        let fitted = combination(of: subset, coefficients)
        var residual = 0.0, total = 0.0
        for i in 0..<rows {
            let r = labels[i] - fitted[i]
            residual += r * r
            total += labels[i] * labels[i]
        }
        if residual == 0 { return 1 }
        return total == 0 ? 0 : 1 - residual / total
    }
}
