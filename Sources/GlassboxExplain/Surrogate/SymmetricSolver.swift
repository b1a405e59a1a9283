/// Solves the symmetric positive semi-definite systems of the surrogate models — ridge regression's
/// `(ZᵀZ + αI) β = Zᵀy` and KernelSHAP's weighted normal equations — in Float64.
///
/// A Cholesky factorisation (scikit-learn's `Ridge` solver `cholesky`, shap's `np.linalg.solve`)
/// when the matrix is numerically positive definite; otherwise the minimum-norm least-squares
/// solution through the pseudo-inverse (what scikit-learn's fallback `_solve_svd` and shap's
/// `np.linalg.lstsq` give), from a cyclic Jacobi eigendecomposition (Golub & Van Loan, *Matrix
/// Computations*, §8.5). Unlike LAPACK, a Cholesky pivot below `n · ε` times the largest diagonal
/// entry counts as singular, so rank-deficient data never yields huge, meaningless coefficients.
enum SymmetricSolver {
    /// The solution `x` of `a x = b`, `a` an n×n row-major symmetric positive semi-definite matrix.
    static func solve(_ a: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        precondition(a.count == n * n, "a \(n)×\(n) system needs \(n * n) matrix entries")
        if n == 0 { return [] }
        if let factor = cholesky(a, size: n) { return choleskySolve(factor, b) }
        return pseudoInverseSolve(a, b)
    }

    /// The lower Cholesky factor `L` (row-major, `L Lᵀ = a`), or nil when a pivot is not safely positive.
    static func cholesky(_ a: [Double], size n: Int) -> [Double]? {
        let largest = (0..<n).map { a[$0 * n + $0] }.max() ?? 0
        let smallestPivot = Double(n) * Double.ulpOfOne * largest
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > smallestPivot, sum.isFinite else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return l
    }

    /// Solves `L Lᵀ x = b` by forward and back substitution (LAPACK's `potrs`).
    static func choleskySolve(_ l: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }

    /// The minimum-norm solution `Σ_k v_k (v_kᵀ b) / λ_k` over the eigenpairs of `a` whose eigenvalue
    /// exceeds 10⁻¹⁰ of the largest; the rest span the null space and are left out.
    static func pseudoInverseSolve(_ a: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        let (values, vectors) = eigendecomposition(a, size: n)
        let cutoff = (values.max() ?? 0) * 1e-10
        var x = [Double](repeating: 0, count: n)
        for k in 0..<n where values[k] > cutoff {
            var projection = 0.0
            for i in 0..<n { projection += vectors[i * n + k] * b[i] }
            let scale = projection / values[k]
            for i in 0..<n { x[i] += vectors[i * n + k] * scale }
        }
        return x
    }

    /// The eigenvalues and eigenvectors (columns of a row-major n×n matrix) of a symmetric matrix,
    /// by cyclic Jacobi rotations until the off-diagonal part is negligible (Golub & Van Loan §8.5.3).
    static func eigendecomposition(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let scale = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var offDiagonal = 0.0
            for i in 0..<n { for j in 0..<n where i != j { offDiagonal += a[i * n + j] * a[i * n + j] } }
            if offDiagonal <= scale * 1e-30 { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p * n + q] != 0 {
                    rotate(&a, &v, p, q, size: n)
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }

    /// One Jacobi rotation annihilating `a[p][q]` (Golub & Van Loan, Algorithm 8.5.1), applied to
    /// `a` on both sides and accumulated into `v`.
    private static func rotate(_ a: inout [Double], _ v: inout [Double], _ p: Int, _ q: Int, size n: Int) {
        let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
