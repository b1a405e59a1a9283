import Foundation
import GlassboxTestSupport
import Testing

@testable import GlassboxCore

/// Softmax on the CPU API where the answer has a closed form: inputs of ±1000, which
/// overflow unless the maximum is subtracted, give the softmax of (0, 1, 2) and of
/// (0, −1, −2); and the axes and gradients it refuses. Values and gradients over many
/// shapes against the reference are the conformance suite's
/// (`Sources/GlassboxConformance/SoftmaxCases.swift`).
@Suite("Softmax")
struct SoftmaxTests {
    @Test("large inputs do not overflow")
    func stability() throws {
        let x = try makeTensor([1000, 1001, 1002, -1000, -1001, -1002], [2, 3])
        let e = Foundation.exp(1.0)
        let up = 1 + e + e * e, down = 1 + 1 / e + 1 / (e * e)
        let y = try backend.softmax(x, axis: 1, logarithm: false).toArray()
        #expect(y.allSatisfy { $0.isFinite })
        expectClose(y, [1 / up, e / up, e * e / up, 1 / down, 1 / (e * down), 1 / (e * e * down)])
        let logY = try backend.softmax(x, axis: 1, logarithm: true).toArray()
        expectClose(
            logY, [0.0, 1, 2, 0, -1, -2].enumerated().map { $0.element - Foundation.log($0.offset < 3 ? up : down) })
        // Each lane sums to 1.
        #expect(Swift.abs(y[0] + y[1] + y[2] - 1) < 1e-6 && Swift.abs(y[3] + y[4] + y[5] - 1) < 1e-6)
    }

    @Test("bad axes and mismatched gradients throw")
    func errors() throws {
        let x = try backend.filled([2, 3], value: 1)
        expectShapeMismatch("gradient of another shape") {
            _ = try backend.softmaxBackward(try backend.filled([3, 2], value: 1), output: x, axis: 1, logarithm: false)
        }
        expectInvalidArgument("axis 2 of a rank-2 tensor") { _ = try backend.softmax(x, axis: 2, logarithm: false) }
        expectInvalidArgument("axis −3 of a rank-2 tensor") { _ = try backend.softmax(x, axis: -3, logarithm: true) }
        expectInvalidArgument("backward along axis 5") {
            _ = try backend.softmaxBackward(x, output: x, axis: 5, logarithm: false)
        }
    }
}
