/// The weights of coalitions in Shapley values (Shapley, "A value for n-person games", 1953) and in
/// their weighted-regression form, KernelSHAP (Lundberg & Lee, "A unified approach to interpreting
/// model predictions", NeurIPS 2017, Theorem 2).
public enum ShapleyWeights {
    /// The Shapley weight `|S|! (M − |S| − 1)! / M!` of a coalition `S` of `coalitionSize` features
    /// not containing the feature whose marginal contribution `v(S ∪ {i}) − v(S)` it weighs, among
    /// `features` (M) players; `1 / (M · C(M − 1, |S|))`.
    ///
    /// - Precondition: `0 <= coalitionSize < features`.
    public static func shapley(coalitionSize: Int, features: Int) -> Double {
        precondition(
            coalitionSize >= 0 && coalitionSize < features, "a coalition without the feature has 0..<M members")
        return 1 / (Double(features) * binomial(features - 1, coalitionSize))
    }

    /// The Shapley kernel `π(S) = (M − 1) / (C(M, |S|) |S| (M − |S|))` of a coalition of
    /// `coalitionSize` among `features` (M) features (Lundberg & Lee 2017, Theorem 2); infinite for
    /// the empty and the full coalition, which KernelSHAP enforces as constraints instead.
    ///
    /// - Precondition: `0 <= coalitionSize <= features`.
    public static func kernel(coalitionSize: Int, features: Int) -> Double {
        precondition(coalitionSize >= 0 && coalitionSize <= features, "a coalition has 0...M members")
        if coalitionSize == 0 || coalitionSize == features { return .infinity }
        return sizeKernel(coalitionSize: coalitionSize, features: features) / binomial(features, coalitionSize)
    }

    /// The Shapley kernel summed over all `C(M, s)` coalitions of size `s`: `(M − 1) / (s (M − s))`
    /// — shap's `weight_vector` before normalisation.
    ///
    /// - Precondition: `0 < coalitionSize < features`.
    public static func sizeKernel(coalitionSize: Int, features: Int) -> Double {
        precondition(coalitionSize > 0 && coalitionSize < features, "a sampled coalition has 1..<M members")
        return Double(features - 1) / Double(coalitionSize * (features - coalitionSize))
    }

    /// The binomial coefficient `C(n, k)` in Float64 (exact while it is below 2⁵³).
    static func binomial(_ n: Int, _ k: Int) -> Double {
        let k = min(k, n - k)
        var result = 1.0
        if k > 0 { for i in 1...k { result = result * Double(n - k + i) / Double(i) } }
        return result
    }
}
