/// The outcome of one ``ConformanceCase`` on a candidate backend.
public struct ConformanceResult: Sendable, CustomStringConvertible {
    /// The case's name.
    public let name: String
    /// The operation the case exercised.
    public let operation: BackendOperation
    /// What the case expected of the candidate.
    public let expectation: ConformanceCase.Expectation
    /// Whether the candidate did as the reference did.
    public let passed: Bool
    /// The ``normalisedError(_:_:floor:)-([Double],[Double],_)`` of the candidate's values, or nil when either
    /// backend threw or the two returned different numbers of values.
    public let error: Double?
    /// Why the case failed (the message a backend threw, a length or bit mismatch), or
    /// the error both backends threw for a passed rejection; nil for other passed cases.
    public let message: String?

    /// Records the outcome of one case.
    public init(
        name: String, operation: BackendOperation, expectation: ConformanceCase.Expectation, passed: Bool,
        error: Double?, message: String?
    ) {
        self.name = name
        self.operation = operation
        self.expectation = expectation
        self.passed = passed
        self.error = error
        self.message = message
    }

    /// One line: "passed"/"FAILED", the case's name, the error against its limit, and any message.
    public var description: String {
        var line = (passed ? "passed " : "FAILED ") + name
        if let error, case .values(let agreement) = expectation {
            line +=
                agreement == .exact
                ? " (exact, error \(Self.format(error)))"
                : " (error \(Self.format(error)), \(agreement))"
        }
        if let message { line += ": " + message }
        return line
    }

    static func format(_ value: Double) -> String {
        value == 0 || !value.isFinite ? "\(value)" : "\(Float(value))"
    }
}
