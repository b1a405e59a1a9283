import GlassboxConformance
import GlassboxCore
import GlassboxReference
import Testing

// Helpers for the tests of the reference backend. They never compute an operation the
// way the backend does: expected values come from hand computation, closed forms,
// central differences of the backend's own forward passes, identities between its
// operations, Philox's per-draw functions and the shape plans.

/// The backend under test.
let reference = ReferenceBackend.shared

/// A reference tensor of `values`.
func tensor(_ values: [Float], _ shape: Shape) throws -> Tensor {
    try reference.upload(values, shape: shape)
}

/// `count` uniform values in [low, high) rounded to multiples of 2⁻¹⁰, so a value moved
/// by a power-of-two step down to 2⁻¹⁰ stays exact in Float32.
func gridFloats(_ count: Int, _ random: inout SplitMix64, _ low: Double = -1, _ high: Double = 1) -> [Float] {
    random.floats(count, low, high).map { ($0 * 1024).rounded() / 1024 }
}

/// Σ aᵢ·bᵢ in Float64.
func dot(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "dot of \(a.count) and \(b.count) values")
    return zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// Σ |aᵢ·bᵢ| in Float64: the scale of a dot product's rounding error.
func absoluteDot(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0) { $0 + abs(Double($1.0) * Double($1.1)) }
}

/// The gradient of `objective` at `x` by central differences in Float64, each coordinate
/// moved by ±`step` (exact in Float32 for ``gridFloats(_:_:_:_:)`` inputs and steps from
/// 2⁻¹⁰ up). With `extrapolations` > 0, the quotients at `step`, `step/2`, … are combined
/// by Richardson extrapolation (Dⱼ ← (4ʲ·D(h/2) − D(h))/(4ʲ − 1)), each level cancelling
/// the next even power of the step in the error: smooth objectives reach their Float32
/// rounding with steps long enough to keep it small. Linear and piecewise-linear
/// objectives need none.
func centralDifferences(
    at x: [Float], step: Float, extrapolations: Int = 0,
    _ objective: ([Float]) throws -> Double
) throws -> [Double] {
    var point = x
    func quotient(_ index: Int, _ h: Float) throws -> Double {
        point[index] = x[index] + h
        let up = try objective(point)
        point[index] = x[index] - h
        let down = try objective(point)
        point[index] = x[index]
        return (up - down) / (2 * Double(h))
    }
    return try x.indices.map { index in
        // Row k of the Richardson table: the quotient at step/2ᵏ, then its extrapolations.
        var row = [try quotient(index, step)]
        for level in 0..<extrapolations {
            var next = [try quotient(index, step / Float(2 << level))]
            for j in 1...(level + 1) {
                let power = Double(1 << (2 * j))
                next.append((power * next[j - 1] - row[j - 1]) / (power - 1))
            }
            row = next
        }
        return row[extrapolations]
    }
}

/// Expects `operation` to throw exactly the error that `plan` (the shape plan every backend
/// validates its arguments with) throws for the same arguments.
func expectRefusal(
    as plan: () throws -> Void, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ operation: () throws -> Void
) {
    guard let refusal = #expect(throws: GlassboxError.self, comment, sourceLocation: sourceLocation, performing: plan)
    else { return }
    #expect(throws: refusal, comment, sourceLocation: sourceLocation, performing: operation)
}
