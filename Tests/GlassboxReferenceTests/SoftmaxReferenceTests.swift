import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxReference
import GlassboxTestSupport
import Testing

/// The reference softmax and log-softmax, by means independent of their loops: equal
/// inputs (1/n and −log n), a closed form, invariance to a shift, lanes that sum to one,
/// log-softmax = log ∘ softmax, one axis equal to another after a transpose; the
/// gradient against central differences of the forward pass; and the refusals of
/// ``AxisLanes``.
@Suite("Reference softmax")
struct SoftmaxReferenceTests {
    @Test("equal inputs give 1/n and −log n; a lane of one gives 1")
    func equalInputs() throws {
        let x = try reference.filled([2, 4], value: 7)
        #expect(try reference.softmax(x, axis: 1, logarithm: false).toArray() == Array(repeating: 0.25, count: 8))
        let minusLogFour = Float(-Foundation.log(4.0))
        #expect(
            try reference.softmax(x, axis: 1, logarithm: true).toArray() == Array(repeating: minusLogFour, count: 8))
        #expect(try reference.softmax(try tensor([-3, 5], [2, 1]), axis: 1, logarithm: false).toArray() == [1, 1])
    }

    @Test("softmax(0, log 3) = (1/4, 3/4)")
    func closedForm() throws {
        let y = try reference.softmax(try tensor([0, Float(Foundation.log(3.0))], [2]), axis: 0, logarithm: false)
        expectClose(try y.toArray(), [0.25, 0.75], tolerance: 1e-6)
    }

    @Test("a shift changes nothing, lanes sum to one, log-softmax is the log of softmax, axes commute with transposes")
    func identities() throws {
        var random = SplitMix64(name: "softmax identities")
        let values = gridFloats(4 * 5 * 6, &random, -5, 5), shape: Shape = [4, 5, 6]
        let x = try tensor(values, shape)
        for axis in 0..<3 {
            let y = try reference.softmax(x, axis: axis, logarithm: false)
            // x + 64 is exact for inputs on a 2⁻¹⁰ grid, and so is subtracting the maximum.
            #expect(
                try reference.softmax(try tensor(values.map { $0 + 64 }, shape), axis: axis, logarithm: false).toArray()
                    == y.toArray(), "shift along \(axis)")
            let sums = try reference.reduce(y, axes: [axis], .sum, keepDimensions: false).toArray()
            expectClose(sums, Array(repeating: 1, count: sums.count), tolerance: 1e-6, "sums along \(axis)")
            let logarithm = try reference.softmax(x, axis: axis, logarithm: true)
            expectClose(
                try logarithm.toArray(), try y.toArray().map { Foundation.log(Double($0)) }, tolerance: 1e-6,
                "log-softmax along \(axis)")
        }
        // Softmax along axis 0 is softmax along the last axis of the transposed tensor, transposed back.
        let transposed = try reference.transpose(x, permutation: [2, 1, 0])
        let lastAxis = try reference.softmax(transposed, axis: -1, logarithm: false)
        #expect(
            try reference.transpose(lastAxis, permutation: [2, 1, 0]).toArray()
                == reference.softmax(x, axis: 0, logarithm: false).toArray())
    }

    static let differenceCases: [(shape: Shape, axis: Int)] = [
        ([3, 5, 4], 0), ([3, 5, 4], 1), ([3, 5, 4], 2), ([3, 5, 4], -1), ([2, 7], -2), ([1], 0), ([4, 1, 3], 1),
    ]

    /// Softmax is smooth: steps 1, 1/2, 1/4 and 1/8 combined by three Richardson levels.
    @Test(
        "the gradient equals central differences of L = Σ r·softmax(x)", arguments: differenceCases.indices,
        [false, true])
    func finiteDifferences(index: Int, logarithm: Bool) throws {
        let (shape, axis) = Self.differenceCases[index]
        var random = SplitMix64(name: "softmax finite differences \(index) \(logarithm)")
        let x = gridFloats(shape.count, &random, -3, 3), r = gridFloats(shape.count, &random)
        let numeric = try centralDifferences(at: x, step: 1, extrapolations: 3) {
            dot(r, try reference.softmax(try tensor($0, shape), axis: axis, logarithm: logarithm).toArray())
        }
        let y = try reference.softmax(try tensor(x, shape), axis: axis, logarithm: logarithm)
        let gradient = try reference.softmaxBackward(try tensor(r, shape), output: y, axis: axis, logarithm: logarithm)
        expectClose(try gradient.toArray(), numeric, tolerance: 1e-5)
    }

    @Test("refuses the axes the lanes refuse, and gradients of another shape")
    func refusals() throws {
        let x = try reference.filled([2, 3], value: 1)
        for axis in [2, -3] {
            expectRefusal(as: { _ = try AxisLanes(x.shape, axis: axis) }, "axis \(axis)") {
                _ = try reference.softmax(x, axis: axis, logarithm: false)
            }
            expectRefusal(as: { _ = try AxisLanes(x.shape, axis: axis) }, "backward along axis \(axis)") {
                _ = try reference.softmaxBackward(x, output: x, axis: axis, logarithm: true)
            }
        }
        #expect(throws: GlassboxError.self) {
            try reference.softmaxBackward(reference.filled([3, 2], value: 1), output: x, axis: 1, logarithm: false)
        }
    }
}
