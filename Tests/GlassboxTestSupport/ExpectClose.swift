import GlassboxConformance
import Testing

/// Expects `actual` within `tolerance` of `expected` in the `normalisedError(_:_:floor:)`
/// of the conformance suite (relative to the expected values' scale); a length mismatch is recorded, not trapped.
public func expectClose(
    _ actual: [Float], _ expected: [Double], tolerance: Double = 1e-5, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let note = comment.map { " — \($0)" } ?? ""
    guard actual.count == expected.count else {
        Issue.record("\(actual.count) values, expected \(expected.count)\(note)", sourceLocation: sourceLocation)
        return
    }
    let error = normalisedError(actual, expected)
    #expect(error <= tolerance, "normalised error \(error) > \(tolerance)\(note)", sourceLocation: sourceLocation)
}
