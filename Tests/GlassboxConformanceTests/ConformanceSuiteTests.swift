import Foundation
import GlassboxCore
import GlassboxOpenCL
import GlassboxReference
import Testing

@testable import GlassboxConformance

/// The OpenCL devices of this machine; their suite is skipped (not passed) when there are none.
private let openCLDevices: [OpenCLDevice] = (try? OpenCLDevice.all()) ?? []

@Suite("Backend-conformance suite")
struct ConformanceSuiteTests {
    /// The requirements of the `Backend` protocol as declared in its source: function names, with repeats for overloads.
    private static func protocolRequirements() throws -> [String] {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/GlassboxCore/Backend.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        // The protocol's body: from its declaration to the first closing brace at the start of a line.
        let declaration = try #require(text.components(separatedBy: "public protocol Backend").last)
        let body = try #require(declaration.components(separatedBy: "\n}").first)
        let function = try NSRegularExpression(pattern: #"^\s*func\s+(\w+)\s*\("#, options: .anchorsMatchLines)
        return function.matches(in: body, range: NSRange(body.startIndex..., in: body)).map { match in
            String(body[Range(match.range(at: 1), in: body)!])
        }
    }

    @Test func theOperationsAreExactlyTheProtocolsRequirements() throws {
        let requirements = try Self.protocolRequirements()
        #expect(requirements.count > 30)
        let declared = Dictionary(grouping: requirements, by: { $0 }).mapValues(\.count)
        let registered = Dictionary(grouping: BackendOperation.allCases.map(\.requirementName), by: { $0 }).mapValues(
            \.count)
        #expect(declared == registered, "requirements without an operation, or operations without a requirement")
    }

    @Test func everyOperationHasCasesWithUniqueNames() {
        let cases = ConformanceSuite.cases()
        #expect(Set(cases.map(\.operation)) == Set(BackendOperation.allCases))
        #expect(Set(cases.map(\.name)).count == cases.count, "case names must be unique")
        #expect(cases.contains { $0.expectation == .rejection })
        #expect(ConformanceSuite.uncovered(by: cases, filtered: false).isEmpty)
        let withoutGEMM = cases.filter { $0.operation != .gemm }
        let uncovered = ConformanceSuite.uncovered(by: withoutGEMM, filtered: false)
        #expect(uncovered.map(\.operation) == [.gemm] && uncovered.allSatisfy { !$0.passed })
        #expect(ConformanceSuite.uncovered(by: withoutGEMM, filtered: true).isEmpty)
    }

    @Test func theCPUBackendConformsToTheReference() {
        let started = Date()
        let report = ConformanceSuite.run(candidate: CPUBackend.shared)
        print(
            "conformance of cpu against the reference: \(report.totals) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )
        print(report.summary)
        for failure in report.failures { Issue.record("\(failure)") }
        #expect(report.reference == "reference" && report.candidate == "cpu")
        #expect(report.results.count == ConformanceSuite.cases().count)
        #expect(Set(report.operations.map(\.operation)) == Set(BackendOperation.allCases))
        #expect(report.summary.hasSuffix("total: \(report.results.count) passed, 0 failed"))
    }

    @Test(
        .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"), arguments: openCLDevices.map(\.index))
    func everyCaseConformsOnOpenCL(deviceIndex: Int) throws {
        let backend = try OpenCLBackend.shared(deviceIndex: deviceIndex)
        let started = Date()
        let report = ConformanceSuite.run(candidate: backend)
        print(
            "conformance of \(backend.name): \(report.totals) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )
        print(report.summary)
        for failure in report.failures { Issue.record("\(failure)") }
        #expect(report.failedCount == 0, "conformance on \(backend.name): \(report.totals)")
    }

    /// A case that returns `reference` on the reference backend and runs `candidate` on any other.
    private func differing(
        _ name: String, _ expectation: ConformanceCase.Expectation, reference: [Float],
        candidate: @escaping @Sendable () throws -> [Float]
    ) -> ConformanceCase {
        ConformanceCase(name: name, operation: .gemm, expectation: expectation) { backend in
            backend === ReferenceBackend.shared ? reference : try candidate()
        }
    }

    private func check(_ testCase: ConformanceCase) -> ConformanceResult {
        ConformanceSuite.check(testCase, candidate: CPUBackend.shared, reference: ReferenceBackend.shared)
    }

    @Test func failuresAreReportedWithTheirCause() {
        let threw = check(
            differing("throws", .values(.within(1)), reference: [1]) { throw GlassboxError.backend("refused") })
        #expect(!threw.passed && threw.error == nil && threw.message == "threw: backend error: refused")
        #expect("\(threw)" == "FAILED throws: threw: backend error: refused")
        let length = check(differing("lengths", .values(.within(1)), reference: [1, 2]) { [1] })
        #expect(!length.passed && length.message == "returned 1 values, the reference 2")
        let bits = check(differing("bits", .values(.exact), reference: [0.0]) { [-0.0] })
        #expect(!bits.passed && bits.error == 0 && bits.message == "1 of 1 values differ in their bits")
        let far = check(differing("far", .values(.within(0.1)), reference: [1, 2]) { [1, 2.5] })
        #expect(
            !far.passed && far.error == 0.25 && "\(far)" == "FAILED far (error 0.25, limit 0.1): error above the limit")
        let near = check(differing("near", .values(.within(0.1)), reference: [1, 2]) { [1, 2.1] })
        #expect(near.passed && near.message == nil)
        let throwingReference = check(
            ConformanceCase(name: "reference throws", operation: .gemm) { backend in
                if backend === ReferenceBackend.shared { throw GlassboxError.backend("refused") }
                return []
            })
        #expect(
            !throwingReference.passed
                && throwingReference.message == "the reference (reference) threw: backend error: refused")
    }

    @Test func aRejectionPassesOnlyWhenBothRefuseAlike() {
        let refusal = GlassboxError.invalidArgument("no")
        func rejection(reference: Error?, candidate: Error?) -> ConformanceResult {
            check(
                ConformanceCase(name: "refuse", operation: .dropoutMask, expectation: .rejection) { backend in
                    if let error = backend === ReferenceBackend.shared ? reference : candidate { throw error }
                    return []
                })
        }
        let alike = rejection(reference: refusal, candidate: refusal)
        #expect(alike.passed && alike.message == "invalid argument: no")
        #expect(!rejection(reference: refusal, candidate: GlassboxError.invalidArgument("other")).passed)
        #expect(
            rejection(reference: refusal, candidate: nil).message
                == "accepted a call the reference refuses with: invalid argument: no")
        #expect(!rejection(reference: nil, candidate: nil).passed)
    }

    @Test func aFilteredRunReportsProgressAndTallies() {
        var seen = 0
        let report = ConformanceSuite.run(candidate: CPUBackend.shared, filter: "POOL2DBACKWARD") {
            _, completed, total in
            seen = completed
            #expect(completed <= total)
        }
        #expect(!report.results.isEmpty && seen == report.results.count)
        #expect(Set(report.operations.map(\.operation)) == [.pool2dBackward, .gatedPool2dBackward])
        #expect(report.allPassed && report.totals == "\(report.results.count) passed, 0 failed")
    }

    @Test func theErrorMeasureIsRelativeToTheReferenceScale() {
        #expect(normalisedError([Float(1), 2.5], [Float(1), 2]) == 0.25)
        #expect(normalisedError([Float(0), 0.5], [Float(0), 0]) == 0.5)
        #expect(normalisedError([Float(0), 0.5], [Float(0), 0], floor: 2) == 0.25)
        #expect(normalisedError([Float.nan, .infinity], [Float.nan, .infinity]) == 0)
        #expect(normalisedError([Float.nan], [Float(1)]) == .infinity)
        #expect(normalisedError([Float(1)], [Float.infinity]) == .infinity)
        #expect(normalisedError([Float](), [Float]()) == 0)
    }
}
