import GlassboxTestSupport
import Foundation
import Testing
@testable import GlassboxCore

/// Softmax or log-softmax along `axis` in Float64, lane by lane.
func referenceSoftmax(_ x: [Double], _ shape: [Int], axis: Int, logarithm: Bool) -> [Double] {
    let axis = axis < 0 ? axis + shape.count : axis
    let extent = shape[axis], inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
    var y = [Double](repeating: 0, count: x.count)
    for o in 0..<outer {
        for i in 0..<inner {
            let lane = (0..<extent).map { o * extent * inner + $0 * inner + i }
            let largest = lane.map { x[$0] }.max()!
            let total = lane.reduce(0) { $0 + Foundation.exp(x[$1] - largest) }
            for index in lane {
                y[index] = logarithm ? x[index] - largest - Foundation.log(total) : Foundation.exp(x[index] - largest) / total
            }
        }
    }
    return y
}

struct SoftmaxCase: Sendable, CustomTestStringConvertible {
    let shape: [Int], axis: Int
    var testDescription: String { "\(shape) along \(axis)" }
}

@Suite("Softmax")
struct SoftmaxTests {
    static let cases: [SoftmaxCase] = [
        SoftmaxCase(shape: [3, 5, 4], axis: 0),
        SoftmaxCase(shape: [3, 5, 4], axis: 1),
        SoftmaxCase(shape: [3, 5, 4], axis: 2),
        SoftmaxCase(shape: [3, 5, 4], axis: -1),
        SoftmaxCase(shape: [2, 7], axis: -2),
        SoftmaxCase(shape: [1], axis: 0),
        SoftmaxCase(shape: [4, 1, 3], axis: 1),
        SoftmaxCase(shape: [1, 1000], axis: 1),
    ]

    @Test("forward matches Float64", arguments: cases, [false, true])
    func forward(c: SoftmaxCase, logarithm: Bool) throws {
        var rng = SplitMix64(seed: UInt64(c.shape.reduce(1, *) * 10 + c.axis + 3))
        let (x, xValues) = try randomTensor(Shape(c.shape), &rng, -4, 4)
        let y = try backend.softmax(x, axis: c.axis, logarithm: logarithm)
        #expect(y.shape == Shape(c.shape))
        expectClose(try y.toArray(), referenceSoftmax(xValues, c.shape, axis: c.axis, logarithm: logarithm))
    }

    @Test("large inputs do not overflow")
    func stability() throws {
        let x = try makeTensor([1000, 1001, 1002, -1000, -1001, -1002], [2, 3])
        let reference = referenceSoftmax([1000, 1001, 1002, -1000, -1001, -1002], [2, 3], axis: 1, logarithm: false)
        let y = try backend.softmax(x, axis: 1, logarithm: false).toArray()
        #expect(y.allSatisfy { $0.isFinite })
        expectClose(y, reference)
        let logY = try backend.softmax(x, axis: 1, logarithm: true).toArray()
        expectClose(logY, referenceSoftmax([1000, 1001, 1002, -1000, -1001, -1002], [2, 3], axis: 1, logarithm: true))
        // Each lane sums to 1.
        #expect(Swift.abs(y[0] + y[1] + y[2] - 1) < 1e-6 && Swift.abs(y[3] + y[4] + y[5] - 1) < 1e-6)
    }

    @Test("backward matches central finite differences of L = Σ r·softmax(x)", arguments: cases, [false, true])
    func backward(c: SoftmaxCase, logarithm: Bool) throws {
        guard c.shape.reduce(1, *) <= 100 else { return }  // Finite differences cost O(n²).
        var rng = SplitMix64(seed: UInt64(c.shape.reduce(1, *) * 7 + c.axis + 11))
        let (x, xValues) = try randomTensor(Shape(c.shape), &rng, -3, 3)
        let (r, rValues) = try randomTensor(Shape(c.shape), &rng)
        let numeric = finiteDifferenceGradient(at: xValues) {
            dot(rValues, referenceSoftmax($0, c.shape, axis: c.axis, logarithm: logarithm))
        }
        let y = try backend.softmax(x, axis: c.axis, logarithm: logarithm)
        let gx = try backend.softmaxBackward(r, output: y, axis: c.axis, logarithm: logarithm)
        #expect(gx.shape == Shape(c.shape))
        expectClose(try gx.toArray(), numeric)
    }

    @Test("backward on a long lane matches the analytic Float64 gradient", arguments: [false, true])
    func longLane(logarithm: Bool) throws {
        var rng = SplitMix64(seed: 1000)
        let (x, xValues) = try randomTensor([2, 1000], &rng, -5, 5)
        let (r, rValues) = try randomTensor([2, 1000], &rng)
        let p = referenceSoftmax(xValues, [2, 1000], axis: 1, logarithm: false)
        var reference = [Double](repeating: 0, count: 2000)
        for lane in 0..<2 {
            let range = (lane * 1000)..<((lane + 1) * 1000)
            let total = range.reduce(0) { $0 + rValues[$1] }
            let weighted = range.reduce(0) { $0 + rValues[$1] * p[$1] }
            for i in range { reference[i] = logarithm ? rValues[i] - p[i] * total : p[i] * (rValues[i] - weighted) }
        }
        let y = try backend.softmax(x, axis: 1, logarithm: logarithm)
        expectClose(try backend.softmaxBackward(r, output: y, axis: 1, logarithm: logarithm).toArray(), reference)
    }

    @Test("bad axes and mismatched gradients throw")
    func errors() throws {
        let x = try backend.filled([2, 3], value: 1)
        expectShapeMismatch("gradient of another shape") {
            _ = try backend.softmaxBackward(try backend.filled([3, 2], value: 1), output: x, axis: 1, logarithm: false)
        }
        expectInvalidArgument("axis 2 of a rank-2 tensor") { _ = try backend.softmax(x, axis: 2, logarithm: false) }
        expectInvalidArgument("axis −3 of a rank-2 tensor") { _ = try backend.softmax(x, axis: -3, logarithm: true) }
        expectInvalidArgument("backward along axis 5") { _ = try backend.softmaxBackward(x, output: x, axis: 5, logarithm: false) }
    }
}
