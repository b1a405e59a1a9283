import GlassboxCore

/// A backend-conformance suite in the spirit of llama.cpp's `test-backend-ops`:
/// every ``Backend`` operation on shapes that include 1, odd sizes and
/// non-multiples of common tile sizes (1, 3, 7, 33, 65, 127), run on a candidate
/// backend and compared with a reference (the ``CPUBackend``).
///
/// Elementwise and shape operations must agree to a normalised error of 1e-5,
/// operations with long sums (matrix products, convolutions, reductions, softmax,
/// statistics) to 1e-4, and random operations bit for bit.
public enum ConformanceSuite {
    /// Every case, grouped by operation in the order of the ``Backend`` protocol.
    ///
    /// Operations that return several tensors concatenate them:
    /// ``Backend/sampleStatistics(_:)`` and ``Backend/conv2dBackwardDataStatistics(_:weight:inputShape:window:groups:absolute:)``
    /// give the mean, then the sum of squared deviations.
    public static func cases() -> [ConformanceCase] {
        memoryCases() + linearAlgebraCases() + convolutionCases() + poolingCases() + activationCases()
            + elementwiseCases() + softmaxCases() + reductionCases() + shapeCases() + randomCases() + samplingCases()
    }

    /// Runs the cases on `candidate` and on `reference` and compares the results.
    ///
    /// A case fails when either backend throws (the message is recorded), when the two
    /// return different numbers of values, when an exact case differs in any bit, or
    /// when the normalised error exceeds the case's tolerance. Nothing thrown escapes.
    ///
    /// - Parameters:
    ///   - candidate: The backend to check.
    ///   - reference: The backend taken as correct.
    ///   - filter: Runs only the cases whose name or operation contains this text
    ///     (ignoring case); nil or empty runs every case.
    ///   - progress: Called after each case with its result, the number of cases
    ///     finished and the number to run.
    public static func run(candidate: any Backend, reference: any Backend = CPUBackend.shared,
                           filter: String? = nil,
                           progress: (_ result: ConformanceResult, _ completed: Int, _ total: Int) -> Void = { _, _, _ in })
        -> ConformanceReport {
        let selected = cases().filter { matches($0, filter) }
        var results: [ConformanceResult] = []
        for testCase in selected {
            let result = check(testCase, candidate: candidate, reference: reference)
            results.append(result)
            progress(result, results.count, selected.count)
        }
        return ConformanceReport(candidate: candidate.name, reference: reference.name, results: results)
    }

    static func matches(_ testCase: ConformanceCase, _ filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        return testCase.name.lowercased().contains(needle) || testCase.operation.lowercased().contains(needle)
    }

    /// Runs one case on both backends and compares.
    static func check(_ testCase: ConformanceCase, candidate: any Backend, reference: any Backend) -> ConformanceResult {
        func outcome(passed: Bool, error: Double?, message: String?) -> ConformanceResult {
            ConformanceResult(name: testCase.name, operation: testCase.operation, passed: passed, error: error,
                              tolerance: testCase.tolerance, exact: testCase.exact, message: message)
        }
        let expected: [Float]
        do {
            expected = try testCase.run(reference)
        } catch {
            return outcome(passed: false, error: nil, message: "the reference (\(reference.name)) threw: \(error)")
        }
        let actual: [Float]
        do {
            actual = try testCase.run(candidate)
        } catch {
            return outcome(passed: false, error: nil, message: "threw: \(error)")
        }
        guard actual.count == expected.count else {
            return outcome(passed: false, error: nil, message: "returned \(actual.count) values, the reference \(expected.count)")
        }
        let error = ConformanceCase.normalisedError(actual, expected)
        if testCase.exact {
            let differing = zip(actual, expected).count { $0.bitPattern != $1.bitPattern }
            return outcome(passed: differing == 0, error: error,
                           message: differing == 0 ? nil : "\(differing) of \(expected.count) values differ in their bits")
        }
        let passed = error <= testCase.tolerance
        return outcome(passed: passed, error: error, message: passed ? nil : "error above the limit")
    }
}
