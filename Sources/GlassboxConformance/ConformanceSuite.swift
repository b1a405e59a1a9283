import GlassboxCore
import GlassboxReference

/// A backend-conformance suite in the spirit of llama.cpp's `test-backend-ops`: every
/// ``BackendOperation`` on shapes that include 1, odd sizes and non-multiples of common
/// tile sizes (1, 3, 7, 33, 65, 127), run on a candidate backend and compared with the
/// readable `ReferenceBackend` (module GlassboxReference).
public enum ConformanceSuite {
    /// Every case, operation by operation in the order of ``BackendOperation``.
    public static func cases() -> [ConformanceCase] {
        BackendOperation.allCases.flatMap(\.cases)
    }

    /// Runs the cases on `candidate` and on `reference` and compares the results.
    ///
    /// A value case fails when either backend throws (the message is recorded), when the
    /// two return different numbers of values, when an exact case differs in any bit, or
    /// when the normalised error exceeds the case's limit; a rejection case fails unless
    /// both throw the same error. An operation without any case fails too (when no filter
    /// is given). Nothing thrown escapes.
    ///
    /// - Parameters:
    ///   - candidate: The backend to check.
    ///   - reference: The backend taken as correct.
    ///   - filter: Runs only the cases whose name or operation contains this text
    ///     (ignoring case); nil or empty runs every case.
    ///   - progress: Called after each case with its result, the number of cases
    ///     finished and the number to run.
    public static func run(
        candidate: any Backend, reference: any Backend = ReferenceBackend.shared,
        filter: String? = nil,
        progress: (_ result: ConformanceResult, _ completed: Int, _ total: Int) -> Void = { _, _, _ in }
    ) -> ConformanceReport {
        let everyCase = cases()
        let selected = everyCase.filter { matches($0, filter) }
        var results = uncovered(by: everyCase, filtered: !(filter ?? "").isEmpty)
        for (index, testCase) in selected.enumerated() {
            let result = check(testCase, candidate: candidate, reference: reference)
            results.append(result)
            progress(result, index + 1, selected.count)
        }
        return ConformanceReport(candidate: candidate.name, reference: reference.name, results: results)
    }

    /// A failed result for each operation that no case exercises, unless the run is filtered.
    static func uncovered(by cases: [ConformanceCase], filtered: Bool) -> [ConformanceResult] {
        guard !filtered else { return [] }
        let covered = Set(cases.map(\.operation))
        return BackendOperation.allCases.filter { !covered.contains($0) }.map { operation in
            ConformanceResult(
                name: "\(operation) has no case", operation: operation,
                expectation: .values(operation.agreement), passed: false, error: nil,
                message: "every operation needs at least one case")
        }
    }

    static func matches(_ testCase: ConformanceCase, _ filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        return testCase.name.lowercased().contains(needle) || testCase.operation.rawValue.lowercased().contains(needle)
    }

    /// Runs one case on both backends and compares.
    static func check(_ testCase: ConformanceCase, candidate: any Backend, reference: any Backend) -> ConformanceResult
    {
        func outcome(passed: Bool, error: Double? = nil, message: String?) -> ConformanceResult {
            ConformanceResult(
                name: testCase.name, operation: testCase.operation, expectation: testCase.expectation,
                passed: passed, error: error, message: message)
        }
        let expected = Result { try testCase.run(reference) }, actual = Result { try testCase.run(candidate) }
        switch (testCase.expectation, expected, actual) {
        case (.rejection, .success, _):
            return outcome(passed: false, message: "the reference (\(reference.name)) accepted a call it should refuse")
        case (.rejection, .failure(let refusal), .success):
            return outcome(passed: false, message: "accepted a call the reference refuses with: \(refusal)")
        case (.rejection, .failure(let refusal), .failure(let error)):
            let same = "\(error)" == "\(refusal)"
            return outcome(passed: same, message: same ? "\(error)" : "threw '\(error)', the reference '\(refusal)'")
        case (.values, .failure(let error), _):
            return outcome(passed: false, message: "the reference (\(reference.name)) threw: \(error)")
        case (.values, _, .failure(let error)):
            return outcome(passed: false, message: "threw: \(error)")
        case (.values(let agreement), .success(let expected), .success(let actual)):
            guard actual.count == expected.count else {
                return outcome(
                    passed: false, message: "returned \(actual.count) values, the reference \(expected.count)")
            }
            let error = normalisedError(actual, expected)
            switch agreement {
            case .exact:
                let differing = zip(actual, expected).count { $0.bitPattern != $1.bitPattern }
                return outcome(
                    passed: differing == 0, error: error,
                    message: differing == 0 ? nil : "\(differing) of \(expected.count) values differ in their bits")
            case .within(let limit):
                let passed = error <= limit
                return outcome(passed: passed, error: error, message: passed ? nil : "error above the limit")
            }
        }
    }
}
