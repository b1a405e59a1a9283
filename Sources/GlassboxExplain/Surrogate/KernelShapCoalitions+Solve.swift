import GlassboxCore

extension KernelShapCoalitions {
    /// KernelSHAP's Shapley value estimates from the coalitions' values (Lundberg & Lee 2017,
    /// Theorem 2), as shap 0.51's `KernelExplainer.solve` with `l1_reg=0`: the weighted linear
    /// regression of `v(S) − v(∅)` on the masks with the efficiency constraint
    /// `Σ φ = f(x) − E f(background)` enforced exactly, by eliminating the last varying feature and
    /// solving the weighted least squares of the others (Cholesky; the minimum-norm solution when
    /// the system is singular, as shap's `lstsq` fallback).
    ///
    /// No l1 regularisation (shap's default `l1_reg="num_features(10)"` first selects features by
    /// LARS; pass `l1_reg=0` to shap to compare), and shap's final zeroing of |φ| < 10⁻¹⁰ is left
    /// out so that efficiency holds to rounding. With every coalition enumerated the result is the
    /// exact Shapley values.
    ///
    /// - Parameters:
    ///   - values: `v(S)` for each of the ``count`` coalitions, in row order: the model's output on
    ///     the input with the features of the mask's zeros taken from the background, averaged over
    ///     the background rows (a single row for one baseline).
    ///   - prediction: `f(x)`, the output on the input itself.
    ///   - nullValue: `E f(background)`, the mean output on the background rows (shap's `expected_value`).
    /// - Returns: φ for each of the F features; 0 for features that do not vary.
    /// - Throws: `GlassboxError.shapeMismatch` unless there is one value per coalition.
    public func shapleyValues(values: [Double], prediction: Double, nullValue: Double) throws -> [Double] {
        guard values.count == count else {
            throw GlassboxError.shapeMismatch(
                "KernelShapCoalitions.shapleyValues: \(values.count) coalition values, expected \(count)")
        }
        var phi = [Double](repeating: 0, count: features)
        let difference = prediction - nullValue
        guard let last = varyingFeatures.last else { return phi }
        let others = Array(varyingFeatures.dropLast())
        let n = others.count
        var gram = [Double](repeating: 0, count: n * n)
        var right = [Double](repeating: 0, count: n)
        for row in 0..<count {
            let mask = masks[row * features..<(row + 1) * features]
            let lastMask = Double(mask[mask.startIndex + last])
            let x = others.map { Double(mask[mask.startIndex + $0]) - lastMask }
            let y = values[row] - nullValue - lastMask * difference
            for a in 0..<n {
                right[a] += weights[row] * x[a] * y
                for b in 0..<n { gram[a * n + b] += weights[row] * x[a] * x[b] }
            }
        }
        let solution = SymmetricSolver.solve(gram, right)
        for (feature, value) in zip(others, solution) { phi[feature] = value }
        phi[last] = difference - solution.reduce(0, +)
        return phi
    }
}
