/// The outcome of a conformance run: every case's result and counts per operation.
public struct ConformanceReport: Sendable {
    /// The name of the backend that was checked.
    public let candidate: String
    /// The name of the backend it was checked against.
    public let reference: String
    /// One result per case run, in suite order.
    public let results: [ConformanceResult]

    /// Collects the results of a run.
    public init(candidate: String, reference: String, results: [ConformanceResult]) {
        self.candidate = candidate
        self.reference = reference
        self.results = results
    }

    /// The number of cases that passed.
    public var passedCount: Int { results.count(where: \.passed) }
    /// The number of cases that failed.
    public var failedCount: Int { results.count - passedCount }
    /// Whether every case passed (true for an empty run).
    public var allPassed: Bool { failedCount == 0 }
    /// The results of the failed cases, in suite order.
    public var failures: [ConformanceResult] { results.filter { !$0.passed } }

    /// Passed and failed counts for each operation, in the order operations first appear.
    public var operations: [OperationTally] {
        var tallies: [OperationTally] = []
        var positions: [BackendOperation: Int] = [:]
        for result in results {
            let position = positions[result.operation] ?? tallies.count
            if position == tallies.count {
                positions[result.operation] = position
                tallies.append(OperationTally(operation: result.operation, passed: 0, failed: 0))
            }
            if result.passed { tallies[position].passed += 1 } else { tallies[position].failed += 1 }
        }
        return tallies
    }

    /// "N passed, M failed" for the whole run.
    public var totals: String { "\(passedCount) passed, \(failedCount) failed" }

    /// One line per operation, "operation: N passed, M failed", then "total: N passed, M failed".
    public var summary: String {
        let tallies = operations
        let width = tallies.map(\.operation.rawValue.count).max() ?? 0
        let lines = tallies.map { tally in
            tally.operation.rawValue + ":" + String(repeating: " ", count: width - tally.operation.rawValue.count + 1)
                + "\(tally.passed) passed, \(tally.failed) failed"
        }
        return (lines + ["total: " + totals]).joined(separator: "\n")
    }
}

/// The number of passed and failed cases of one operation.
public struct OperationTally: Sendable, Equatable {
    /// The operation.
    public let operation: BackendOperation
    /// How many of its cases passed.
    public internal(set) var passed: Int
    /// How many of its cases failed.
    public internal(set) var failed: Int
}
