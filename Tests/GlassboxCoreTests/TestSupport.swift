import Foundation
import GlassboxTestSupport
import Testing
@testable import GlassboxCore

// Shared helpers for the GlassboxCore tests: a deterministic value generator,
// error measures against Float64 references, and error-case expectations.

/// The backend under test.
let backend: any Backend = CPUBackend.shared

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
