import GlassboxCore

/// One check of the backend-conformance suite: a single ``Backend`` operation on
/// fixed inputs, run on a candidate backend and on a reference backend and compared.
///
/// A case builds its inputs on the backend it is given from deterministic host
/// values (the same on every run and every machine), runs one operation and
/// downloads the result; operations that return several tensors concatenate them
/// in a documented order (``ConformanceSuite/cases()`` describes each).
public struct ConformanceCase: Sendable {
    /// A readable description of the operation and its arguments,
    /// e.g. "conv2d backward-data 2×4×7×7 k3 s2 p(1,0,2,1) d1 g2".
    public let name: String
    /// The ``Backend`` method the case exercises, e.g. "conv2dBackwardData".
    public let operation: String
    /// The largest normalised error the candidate may show (see ``normalisedError(_:_:)``).
    public let tolerance: Double
    /// Whether the candidate must return bit-identical values (random operations).
    public let exact: Bool
    /// Builds the inputs on a backend, runs the operation and downloads its result.
    public let run: @Sendable (any Backend) throws -> [Float]

    /// Creates a case.
    ///
    /// - Parameters:
    ///   - name: A readable description of the operation and its arguments.
    ///   - operation: The ``Backend`` method the case exercises.
    ///   - tolerance: The largest normalised error the candidate may show.
    ///   - exact: Whether the candidate must return bit-identical values.
    ///   - run: Builds the inputs on a backend, runs the operation and downloads its result.
    public init(name: String, operation: String, tolerance: Double, exact: Bool = false,
                run: @escaping @Sendable (any Backend) throws -> [Float]) {
        self.name = name
        self.operation = operation
        self.tolerance = tolerance
        self.exact = exact
        self.run = run
    }

    /// The error measure of the suite: `max|candidate − reference| / max|reference|`.
    ///
    /// When the reference is all zero (or empty) the scale is 1, so the measure is the
    /// absolute error `max|candidate|`. Equal infinities, and NaNs at the same position,
    /// count as no difference; any other NaN or infinity in either array makes the error
    /// infinite. Arrays of different lengths are compared by the caller, not here.
    public static func normalisedError(_ candidate: [Float], _ reference: [Float]) -> Double {
        precondition(candidate.count == reference.count, "comparing \(candidate.count) values with \(reference.count)")
        var difference = 0.0, scale = 0.0
        for (c, r) in zip(candidate, reference) {
            if c.isNaN || r.isNaN || c.isInfinite || r.isInfinite {
                if !(c == r || (c.isNaN && r.isNaN)) { difference = .infinity }
                continue
            }
            difference = max(difference, abs(Double(c) - Double(r)))
            scale = max(scale, abs(Double(r)))
        }
        return scale == 0 ? difference : difference / scale
    }
}
