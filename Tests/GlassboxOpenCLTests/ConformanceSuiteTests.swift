import Foundation
@testable import GlassboxConformance
import GlassboxCore
import GlassboxOpenCL
import Testing

/// Every method of the ``Backend`` protocol; the suite must exercise each one. (The fused
/// overloads of `conv2d`, `conv2dBackwardData` and `pool2dBackward` share their operation's name.)
private let backendRequirements = [
    "upload", "download", "filled", "gemm", "addBias", "conv2d", "conv2dBackwardData", "conv2dBackwardFilter",
    "pool2d", "pool2dBackward", "activation", "activationBackward", "reluBackward", "binary", "unary", "affine",
    "axpy", "stabilizedDivide", "softmax", "softmaxBackward", "reduce", "broadcast", "concat", "slice", "transpose", "batchNorm", "randomUniform",
    "randomNormal", "dropoutMask", "noisyBatch", "interpolationBatch", "occlusionBatch", "sampleStatistics",
    "conv2dBackwardDataStatistics",
]

/// A backend whose every operation but memory throws, to check that the suite reports throwing cases.
private final class ThrowingBackend: Backend {
    let name = "throwing"
    var memoryCapacity: Int { CPUBackend.shared.memoryCapacity }
    private var cpu: CPUBackend { .shared }
    private func refuse(_ function: String = #function) -> GlassboxError { .backend("\(function) refused") }

    func upload(_ values: [Float], shape: Shape) throws -> Tensor { try cpu.upload(values, shape: shape) }
    func download(_ tensor: Tensor) throws -> [Float] { try cpu.download(tensor) }
    func filled(_ shape: Shape, value: Float) throws -> Tensor { throw refuse() }
    func transpose(_ x: Tensor, permutation: [Int]) throws -> Tensor { throw refuse() }
    func synchronize() throws {}
    func gemm(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float,
              accumulator c: Tensor?) throws -> Tensor { throw refuse() }
    func addBias(_ x: Tensor, _ bias: Tensor) throws -> Tensor { throw refuse() }
    func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor { throw refuse() }
    func conv2dBackwardData(_ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D,
                            groups: Int) throws -> Tensor { throw refuse() }
    func conv2dBackwardFilter(_ gradOutput: Tensor, input: Tensor, weightShape: Shape, window: Window2D,
                              groups: Int) throws -> Tensor { throw refuse() }
    func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor { throw refuse() }
    func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor { throw refuse() }
    func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor { throw refuse() }
    func activationBackward(_ gradOutput: Tensor, input: Tensor, output: Tensor, kind: ActivationKind) throws -> Tensor { throw refuse() }
    func reluBackward(_ gradOutput: Tensor, input: Tensor, mode: ReLUBackwardMode) throws -> Tensor { throw refuse() }
    func binary(_ a: Tensor, _ b: Tensor, _ operation: BinaryOperation) throws -> Tensor { throw refuse() }
    func unary(_ x: Tensor, _ operation: UnaryOperation) throws -> Tensor { throw refuse() }
    func affine(_ x: Tensor, scale: Float, shift: Float) throws -> Tensor { throw refuse() }
    func axpy(alpha: Float, _ x: Tensor, _ y: Tensor) throws -> Tensor { throw refuse() }
    func stabilizedDivide(_ numerator: Tensor, _ denominator: Tensor, epsilon: Float) throws -> Tensor { throw refuse() }
    func softmax(_ x: Tensor, axis: Int, logarithm: Bool) throws -> Tensor { throw refuse() }
    func softmaxBackward(_ gradOutput: Tensor, output: Tensor, axis: Int, logarithm: Bool) throws -> Tensor { throw refuse() }
    func reduce(_ x: Tensor, axes: [Int], _ kind: ReductionKind, keepDimensions: Bool) throws -> Tensor { throw refuse() }
    func broadcast(_ x: Tensor, to shape: Shape) throws -> Tensor { throw refuse() }
    func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor { throw refuse() }
    func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor { throw refuse() }
    func batchNorm(_ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
                   epsilon: Float) throws -> Tensor { throw refuse() }
    func randomUniform(_ shape: Shape, stream: RandomStream) throws -> Tensor { throw refuse() }
    func randomNormal(_ shape: Shape, mean: Float, standardDeviation: Float, stream: RandomStream) throws -> Tensor { throw refuse() }
    func dropoutMask(_ shape: Shape, probability: Float, stream: RandomStream) throws -> Tensor { throw refuse() }
    func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor { throw refuse() }
    func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor { throw refuse() }
    func occlusionBatch(_ input: Tensor, window: [Int], strides: [Int], baseline: Float,
                        positions: Range<Int>) throws -> Tensor { throw refuse() }
    func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics { throw refuse() }
}

@Suite("Backend-conformance suite")
struct ConformanceSuiteTests {
    @Test func theCPUBackendConformsToItselfAndEveryRequirementIsCovered() {
        let cases = ConformanceSuite.cases()
        let operations = Set(cases.map(\.operation))
        #expect(operations == Set(backendRequirements), "operations without cases: \(Set(backendRequirements).subtracting(operations))")
        #expect(Set(cases.map(\.name)).count == cases.count, "case names must be unique")
        #expect((200...600).contains(cases.count))
        let started = Date()
        let report = ConformanceSuite.run(candidate: CPUBackend.shared)
        print("conformance on cpu: \(report.totals)")
        print("(\(cases.count) cases in \(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
        print(report.summary)
        #expect(report.results.count == cases.count)
        for failure in report.failures { Issue.record("\(failure)") }
        let failed = report.failedCount
        #expect(failed == 0)
        #expect(Set(report.operations.map(\.operation)) == Set(backendRequirements))
        #expect(report.summary.hasSuffix("total: \(cases.count) passed, 0 failed"))
    }

    @Test func aThrowingCandidateFailsItsCasesWithTheMessage() {
        var seen = 0
        let report = ConformanceSuite.run(candidate: ThrowingBackend(), filter: "conv2d") { _, completed, total in
            seen = completed
            #expect(completed <= total)
        }
        #expect(!report.results.isEmpty)
        #expect(seen == report.results.count)
        #expect(report.results.allSatisfy { $0.operation.hasPrefix("conv2d") && !$0.passed && $0.error == nil })
        let forward = report.results.first { $0.operation == "conv2d" }
        #expect(forward?.message == "threw: backend error: conv2d(_:weight:bias:window:groups:) refused")
        #expect("\(forward!)".hasPrefix("FAILED conv2d "))
        #expect(report.summary.contains("conv2dBackwardData:           0 passed, 28 failed"))
        #expect(report.totals == "0 passed, \(report.results.count) failed")
    }

    @Test func mismatchesAreMeasuredAgainstTheReferenceScale() {
        #expect(ConformanceCase.normalisedError([1, 2.5], [1, 2]) == 0.25)
        #expect(ConformanceCase.normalisedError([0, 0.5], [0, 0]) == 0.5)
        #expect(ConformanceCase.normalisedError([.nan, .infinity], [.nan, .infinity]) == 0)
        #expect(ConformanceCase.normalisedError([.nan], [1]) == .infinity)
        #expect(ConformanceCase.normalisedError([], []) == 0)
        let reference = CPUBackend.shared
        let wrongLength = ConformanceCase(name: "lengths", operation: "upload", tolerance: 0) { backend in
            backend === reference ? [1, 2] : [1]
        }
        let wrongBits = ConformanceCase(name: "bits", operation: "randomUniform", tolerance: 1, exact: true) { backend in
            backend === reference ? [0.0] : [-0.0]
        }
        let lengthResult = ConformanceSuite.check(wrongLength, candidate: ThrowingBackend(), reference: reference)
        #expect(!lengthResult.passed && lengthResult.message == "returned 1 values, the reference 2")
        let bitsResult = ConformanceSuite.check(wrongBits, candidate: ThrowingBackend(), reference: reference)
        #expect(!bitsResult.passed && bitsResult.error == 0 && bitsResult.message == "1 of 1 values differ in their bits")
        let fill = ConformanceCase(name: "fill", operation: "filled", tolerance: 0) { try $0.download(try $0.filled([2], value: 1)) }
        let throwingReference = ConformanceSuite.check(fill, candidate: reference, reference: ThrowingBackend())
        #expect(throwingReference.message == "the reference (throwing) threw: backend error: filled(_:value:) refused")
    }

    @Test(.enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"), arguments: openCLDevices.map(\.index))
    func everyCaseConformsOnOpenCL(deviceIndex: Int) throws {
        let backend = try OpenCLBackend.shared(deviceIndex: deviceIndex)
        let started = Date()
        let report = ConformanceSuite.run(candidate: backend)
        print("conformance on \(backend.name): \(report.totals)")
        print("(\(report.results.count) cases in \(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
        print(report.summary)
        for failure in report.failures { Issue.record("\(failure)") }
        let failed = report.failedCount
        #expect(failed == 0, "conformance on \(backend.name): \(report.totals)")
    }
}
