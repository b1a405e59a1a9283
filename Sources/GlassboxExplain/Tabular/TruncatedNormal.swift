import Foundation

/// A normal distribution truncated to an interval, sampled by inverting its distribution
/// function: the value at quantile `u` is `μ + σ·Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a)))` with `a`, `b` the
/// interval's ends in standard units — the distribution lime 0.2.0.1 draws from with
/// `scipy.stats.truncnorm.rvs` (which uses other methods, so single draws differ; the distribution
/// is the same).
///
/// An interval above the mean is sampled by symmetry in the lower tail, where `Φ` keeps its
/// relative precision. `Φ⁻¹` is Acklam's rational approximation (relative error below 1.2·10⁻⁹)
/// refined by one Halley step on `Φ(x) = erfc(−x/√2)/2`, accurate to a few units in the last place.
enum TruncatedNormal {
    /// The value at quantile `u` in (0, 1) of N(`mean`, `standardDeviation`²) truncated to
    /// `lower...upper`, always inside that range; `lower` when the range is empty in standard units.
    static func quantile(_ u: Double, mean: Double, standardDeviation: Double, lower: Double, upper: Double)
        -> Double
    {
        let a = (lower - mean) / standardDeviation, b = (upper - mean) / standardDeviation
        guard a < b else { return lower }
        let z = a > 0 ? -standardQuantile(1 - u, from: -b, to: -a) : standardQuantile(u, from: a, to: b)
        return min(max(mean + standardDeviation * z, lower), upper)
    }

    /// The quantile `u` of the standard normal truncated to `a...b`.
    private static func standardQuantile(_ u: Double, from a: Double, to b: Double) -> Double {
        let low = cdf(a), high = cdf(b)
        return min(max(inverseCDF(low + u * (high - low)), a), b)
    }

    /// The standard normal distribution function Φ.
    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// Φ⁻¹(p): Acklam's approximation and one Halley step; ∓∞ at 0 and 1.
    static func inverseCDF(_ p: Double) -> Double {
        guard p > 0 else { return -.infinity }
        guard p < 1 else { return .infinity }
        let tail = 0.02425
        var x: Double
        if p < tail {
            x = lowerTail(p)
        } else if p > 1 - tail {
            x = -lowerTail(1 - p)
        } else {
            let q = p - 0.5, r = q * q
            let numerator =
                (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                    + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
            let denominator =
                ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                    + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1
            x = numerator / denominator
        }
        let error = cdf(x) - p
        let step = error * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= step / (1 + x * step / 2)
        return x
    }

    /// Acklam's approximation of Φ⁻¹(p) for p below 0.02425.
    private static func lowerTail(_ p: Double) -> Double {
        let q = (-2 * log(p)).squareRoot()
        let numerator =
            ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00
        let denominator =
            (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                + 3.754408661907416e+00) * q + 1
        return numerator / denominator
    }
}
