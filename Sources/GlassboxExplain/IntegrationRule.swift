import Foundation
import GlassboxCore

/// How Integrated Gradients approximates its path integral ∫₀¹ ∂f(b + α(x − b))/∂x dα
/// by a weighted sum over points αₖ, with the points and weights of Captum's
/// `approximation_methods`.
public enum IntegrationRule: String, Sendable, CaseIterable, Codable {
    /// αₖ = k/n, weights 1/n.
    case riemannLeft = "riemann-left"
    /// αₖ = (k + 1)/n, weights 1/n.
    case riemannRight = "riemann-right"
    /// αₖ = (k + ½)/n, weights 1/n.
    case riemannMiddle = "riemann-middle"
    /// αₖ = k/(n − 1), weights 1/n with half weight at both ends. These are
    /// Captum's weights, kept so that results agree with it; they sum to
    /// (n − 1)/n rather than 1 (the textbook rule has 1/(n − 1)), so the
    /// attributions are scaled by (n − 1)/n and the convergence delta carries a
    /// bias of order 1/n.
    case riemannTrapezoid = "riemann-trapezoid"
    /// Gauss–Legendre quadrature on [0, 1] (Captum's default, `gausslegendre`).
    case gaussLegendre = "gauss-legendre"

    /// The points αₖ in [0, 1] and their weights for `steps` points.
    public func points(steps: Int) throws -> (alphas: [Double], weights: [Double]) {
        guard steps >= (self == .riemannTrapezoid ? 2 : 1) else {
            throw GlassboxError.invalidArgument(
                "\(rawValue) integration needs at least \(self == .riemannTrapezoid ? 2 : 1) steps, got \(steps)")
        }
        let n = Double(steps), indices = (0..<steps).map(Double.init)
        switch self {
        case .riemannLeft: return (indices.map { $0 / n }, Array(repeating: 1 / n, count: steps))
        case .riemannRight: return (indices.map { ($0 + 1) / n }, Array(repeating: 1 / n, count: steps))
        case .riemannMiddle: return (indices.map { ($0 + 0.5) / n }, Array(repeating: 1 / n, count: steps))
        case .riemannTrapezoid:
            let weights = indices.map { $0 == 0 || $0 == n - 1 ? 0.5 / n : 1 / n }
            return (indices.map { $0 / (n - 1) }, weights)
        case .gaussLegendre:
            let (nodes, weights) = Self.legendre(steps)
            return (nodes.map { 0.5 * (1 + $0) }, weights.map { 0.5 * $0 })
        }
    }

    /// The nodes (ascending) and weights of `n`-point Gauss–Legendre quadrature on
    /// [−1, 1], as NumPy's `leggauss`: Newton's method on Pₙ from the
    /// Tricomi initial guesses cos(π(i + ¾)/(n + ½)).
    static func legendre(_ n: Int) -> (nodes: [Double], weights: [Double]) {
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for i in 0..<n {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5)), derivative = 0.0
            for _ in 0..<100 {
                // P_n(x) and P_n'(x) by the three-term recurrence.
                var (previous, current) = (1.0, x)
                for k in stride(from: 2, through: n, by: 1) {
                    (previous, current) = (
                        current, ((2 * Double(k) - 1) * x * current - (Double(k) - 1) * previous) / Double(k)
                    )
                }
                derivative = Double(n) * (x * current - previous) / (x * x - 1)
                let step = current / derivative
                x -= step
                if abs(step) < 1e-15 { break }
            }
            nodes[n - 1 - i] = x
            weights[n - 1 - i] = 2 / ((1 - x * x) * derivative * derivative)
        }
        return (nodes, weights)
    }
}
