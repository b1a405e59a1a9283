import Foundation
import Testing
@testable import GlassboxCore

// Shared helpers for the GlassboxCore tests: a deterministic value generator,
// error measures against Float64 references, and error-case expectations.

/// The backend under test.
let backend: any Backend = CPUBackend.shared

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so every test
/// draws the same values on every run. Library code never sees it.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 0x1.0p-60), v = unit()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }

    /// `count` floats uniform in [low, high).
    mutating func floats(_ count: Int, _ low: Double = -1, _ high: Double = 1) -> [Float] {
        (0..<count).map { _ in Float(uniform(low, high)) }
    }

    /// `count` distinct floats (a shuffled grid with spacing `spacing`), for max
    /// pooling where ties would make the gradient ambiguous.
    mutating func distinctFloats(_ count: Int, spacing: Double = 0.01) -> [Float] {
        var grid = (0..<count).map { Float(Double($0) * spacing - Double(count) * spacing / 2) }
        for i in stride(from: count - 1, to: 0, by: -1) {
            grid.swapAt(i, Int(next() % UInt64(i + 1)))
        }
        return grid
    }
}

/// max|actual − reference| / max|reference| (absolute error when the reference is all zero).
func relativeError(_ actual: [Double], _ reference: [Double]) -> Double {
    precondition(actual.count == reference.count, "comparing \(actual.count) values with \(reference.count)")
    var difference = 0.0, scale = 0.0
    for (a, r) in zip(actual, reference) {
        difference = max(difference, abs(a - r))
        if a.isNaN || r.isNaN { difference = .infinity }
        scale = max(scale, abs(r))
    }
    return scale == 0 ? difference : difference / scale
}

func relativeError(_ actual: [Float], _ reference: [Double]) -> Double {
    relativeError(actual.map(Double.init), reference)
}

/// Expects `actual` to match `reference` element by element within a relative tolerance.
func expectClose(_ actual: [Float], _ reference: [Double], tolerance: Double = 1e-5,
                 _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == reference.count else {
        Issue.record("got \(actual.count) values, expected \(reference.count) \(comment.map { "— \($0)" } ?? "")",
                     sourceLocation: sourceLocation)
        return
    }
    let error = relativeError(actual, reference)
    #expect(error <= tolerance, "relative error \(error) > \(tolerance) \(comment.map { "— \($0)" } ?? "")",
            sourceLocation: sourceLocation)
}

func expectClose(_ actual: [Double], _ reference: [Double], tolerance: Double = 1e-5,
                 _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose(actual.map { Float($0) }, reference, tolerance: tolerance, comment, sourceLocation: sourceLocation)
}

/// A tensor on the backend under test.
func makeTensor(_ values: [Float], _ shape: Shape) throws -> Tensor {
    try backend.upload(values, shape: shape)
}

/// A tensor of uniform values in [low, high) and the same values as Float64.
func randomTensor(_ shape: Shape, _ rng: inout SplitMix64, _ low: Double = -1, _ high: Double = 1) throws -> (Tensor, [Double]) {
    let values = rng.floats(shape.count, low, high)
    return (try makeTensor(values, shape), values.map(Double.init))
}

/// The values of a tensor as Float64.
func doubles(_ tensor: Tensor) throws -> [Double] {
    try tensor.toArray().map(Double.init)
}

/// Σ a·b in Float64.
func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var total = 0.0
    for i in a.indices { total += a[i] * b[i] }
    return total
}

/// The gradient of `objective` at `x` by central differences in Float64.
func finiteDifferenceGradient(at x: [Double], step: Double = 1e-6, _ objective: ([Double]) -> Double) -> [Double] {
    var point = x
    return x.indices.map { i in
        point[i] = x[i] + step
        let up = objective(point)
        point[i] = x[i] - step
        let down = objective(point)
        point[i] = x[i]
        return (up - down) / (2 * step)
    }
}

/// Row-major strides of `dimensions`.
func rowMajorStrides(_ dimensions: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: dimensions.count)
    var step = 1
    for axis in dimensions.indices.reversed() {
        strides[axis] = step
        step *= dimensions[axis]
    }
    return strides
}

/// The multi-index of flat offset `index` in row-major `dimensions`.
func coordinates(of index: Int, in dimensions: [Int]) -> [Int] {
    var remainder = index
    var result = [Int](repeating: 0, count: dimensions.count)
    for axis in dimensions.indices.reversed() where dimensions[axis] > 0 {
        result[axis] = remainder % dimensions[axis]
        remainder /= dimensions[axis]
    }
    return result
}

/// Expects `body` to throw ``GlassboxError/shapeMismatch(_:)``.
func expectShapeMismatch(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () throws -> Void) {
    let error = #expect(throws: GlassboxError.self, comment, sourceLocation: sourceLocation) { try body() }
    if let error, case .shapeMismatch = error {} else if let error {
        Issue.record("expected a shape mismatch, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw ``GlassboxError/invalidArgument(_:)``.
func expectInvalidArgument(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws -> Void) {
    let error = #expect(throws: GlassboxError.self, comment, sourceLocation: sourceLocation) { try body() }
    if let error, case .invalidArgument = error {} else if let error {
        Issue.record("expected an invalid argument, got \(error)", sourceLocation: sourceLocation)
    }
}
