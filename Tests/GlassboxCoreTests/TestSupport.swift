import GlassboxConformance
import GlassboxReference
import Testing

@testable import GlassboxCore

// Shared helpers for the GlassboxCore tests: the backend under test, the reference
// backend for expected values, error measures and error-case expectations.

/// The backend under test.
let backend: any Backend = CPUBackend.shared

/// The readable reference backend, where a test needs expected values it cannot write down.
let referenceBackend: any Backend = ReferenceBackend.shared

/// A tensor on the backend under test.
func makeTensor(_ values: [Float], _ shape: Shape) throws -> Tensor {
    try backend.upload(values, shape: shape)
}

/// The values of a tensor as Float64.
func doubles(_ tensor: Tensor) throws -> [Double] {
    try tensor.toArray().map(Double.init)
}

/// Expects `body` to throw ``GlassboxError/shapeMismatch(_:)``.
func expectShapeMismatch(
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    let error = #expect(throws: GlassboxError.self, comment, sourceLocation: sourceLocation) { try body() }
    if let error, case .shapeMismatch = error {
    } else if let error {
        Issue.record("expected a shape mismatch, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw ``GlassboxError/invalidArgument(_:)``.
func expectInvalidArgument(
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    let error = #expect(throws: GlassboxError.self, comment, sourceLocation: sourceLocation) { try body() }
    if let error, case .invalidArgument = error {
    } else if let error {
        Issue.record("expected an invalid argument, got \(error)", sourceLocation: sourceLocation)
    }
}
