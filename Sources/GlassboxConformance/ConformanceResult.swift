/// The outcome of one ``ConformanceCase`` on a candidate backend.
public struct ConformanceResult: Sendable, CustomStringConvertible {
    /// The case's name.
    public let name: String
    /// The ``Backend`` method the case exercised.
    public let operation: String
    /// Whether the candidate agreed with the reference.
    public let passed: Bool
    /// The normalised error (``ConformanceCase/normalisedError(_:_:)``), or nil when
    /// either backend threw or the two returned different numbers of values.
    public let error: Double?
    /// The case's error limit.
    public let tolerance: Double
    /// Whether the case required bit-identical values.
    public let exact: Bool
    /// Why the case failed: the message a backend threw, a length or bit mismatch; nil when it passed.
    public let message: String?

    /// Records the outcome of one case.
    public init(name: String, operation: String, passed: Bool, error: Double?, tolerance: Double,
                exact: Bool, message: String?) {
        self.name = name
        self.operation = operation
        self.passed = passed
        self.error = error
        self.tolerance = tolerance
        self.exact = exact
        self.message = message
    }

    /// One line: "passed"/"FAILED", the case's name, the error against its limit, and any message.
    public var description: String {
        var line = (passed ? "passed " : "FAILED ") + name
        if let error {
            line += exact ? " (exact, error \(Self.format(error)))"
                          : " (error \(Self.format(error)), limit \(Self.format(tolerance)))"
        }
        if let message { line += ": " + message }
        return line
    }

    static func format(_ value: Double) -> String {
        value == 0 || !value.isFinite ? "\(value)" : "\(Float(value))"
    }
}
