import GlassboxTestSupport
import Testing
@testable import GlassboxCore

struct ReductionCase: Sendable, CustomTestStringConvertible {
    let shape: [Int], axes: [Int]
    var testDescription: String { "\(shape) over \(axes)" }
}

/// Sum, mean or max over `axes` in Float64, grouping elements by their kept coordinates.
func referenceReduce(_ x: [Double], _ shape: [Int], axes: [Int], _ kind: ReductionKind) -> (values: [Double], kept: [Int]) {
    let reduced = Set(axes.map { $0 < 0 ? $0 + shape.count : $0 })
    let kept = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
    var groups = [[Double]](repeating: [], count: kept.reduce(1, *))
    let keptStrides = rowMajorStrides(kept)
    for index in x.indices {
        let position = coordinates(of: index, in: shape)
        var target = 0
        for axis in shape.indices where !reduced.contains(axis) { target += position[axis] * keptStrides[axis] }
        groups[target].append(x[index])
    }
    let values = groups.map { group -> Double in
        switch kind {
        case .sum: group.reduce(0, +)
        case .mean: group.reduce(0, +) / Double(group.count)
        case .max: group.max()!
        }
    }
    return (values, kept)
}

@Suite("Reductions")
struct ReductionTests {
    static let cases: [ReductionCase] = [
        ReductionCase(shape: [2, 3, 4, 5], axes: [0]),
        ReductionCase(shape: [2, 3, 4, 5], axes: [1, 3]),
        ReductionCase(shape: [2, 3, 4, 5], axes: [-1]),
        ReductionCase(shape: [2, 3, 4, 5], axes: [2, -3]),
        ReductionCase(shape: [2, 3, 4, 5], axes: [0, 1, 2, 3]),
        ReductionCase(shape: [2, 3, 4, 5], axes: []),
        ReductionCase(shape: [7], axes: [0]),
        ReductionCase(shape: [1, 5, 1], axes: [0, 2]),
        ReductionCase(shape: [3, 1, 7], axes: [1]),
        ReductionCase(shape: [4, 6], axes: [1, -1]),
    ]

    @Test("sum, mean and max match Float64", arguments: cases, ReductionKind.allCases)
    func matchesReference(c: ReductionCase, kind: ReductionKind) throws {
        var rng = SplitMix64(seed: UInt64(c.shape.reduce(1, *) + c.axes.count))
        let (x, xValues) = try randomTensor(Shape(c.shape), &rng, -3, 3)
        let reference = referenceReduce(xValues, c.shape, axes: c.axes, kind)
        let reducedAxes = Set(c.axes.map { $0 < 0 ? $0 + c.shape.count : $0 })
        let dropped = c.shape.indices.filter { !reducedAxes.contains($0) }.map { c.shape[$0] }

        let kept = try backend.reduce(x, axes: c.axes, kind, keepDimensions: true)
        #expect(kept.shape == Shape(reference.kept))
        expectClose(try kept.toArray(), reference.values)

        let squeezed = try backend.reduce(x, axes: c.axes, kind, keepDimensions: false)
        #expect(squeezed.shape == Shape(dropped))
        expectClose(try squeezed.toArray(), reference.values)
    }

    @Test("long sums stay accurate")
    func longSum() throws {
        let count = 200_000
        let x = try backend.filled([count], value: 0.1)
        let total = try backend.reduce(x, axes: [0], .sum, keepDimensions: false).toArray()
        #expect(Swift.abs(Double(total[0]) - Double(count) * Double(Float(0.1))) / (Double(count) * 0.1) < 1e-6)
        let mean = try backend.reduce(x, axes: [0], .mean, keepDimensions: true).toArray()
        #expect(Swift.abs(mean[0] - 0.1) < 1e-7)
    }

    @Test("max of all-negative values is not 0")
    func negativeMax() throws {
        let x = try makeTensor([-3, -1, -2, -7, -5, -4], [2, 3])
        #expect(try backend.reduce(x, axes: [1], .max, keepDimensions: false).toArray() == [-1, -4])
        #expect(try backend.reduce(x, axes: [0], .max, keepDimensions: true).toArray() == [-3, -1, -2])
    }

    @Test("axes out of range throw")
    func errors() throws {
        let x = try backend.filled([2, 3], value: 1)
        expectInvalidArgument("axis 2 of a rank-2 tensor") { _ = try backend.reduce(x, axes: [2], .sum, keepDimensions: true) }
        expectInvalidArgument("axis −3 of a rank-2 tensor") { _ = try backend.reduce(x, axes: [-3], .max, keepDimensions: false) }
        let scalar = try backend.filled([], value: 4)
        expectInvalidArgument("axis 1 of a scalar") { _ = try backend.reduce(scalar, axes: [1], .sum, keepDimensions: true) }
        expectInvalidArgument("axis 0 of a scalar") { _ = try backend.reduce(scalar, axes: [0], .sum, keepDimensions: true) }
        expectInvalidArgument("axis −1 of a scalar") { _ = try backend.reduce(scalar, axes: [-1], .max, keepDimensions: false) }
    }

    @Test("reducing a scalar over no axes is the identity")
    func scalar() throws {
        let scalar = try backend.filled([], value: 4)
        let result = try backend.reduce(scalar, axes: [], .mean, keepDimensions: false)
        #expect(result.shape == [])
        #expect(try result.toArray() == [4])
    }
}

@Suite("Batch normalisation")
struct BatchNormTests {
    @Test("inference batch norm matches Float64", arguments: [[2, 3, 4, 5], [5, 3], [1, 1, 1, 1], [2, 7, 3]])
    func matchesReference(dimensions: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(dimensions.reduce(1, *)))
        let channels = dimensions[1]
        let (x, xValues) = try randomTensor(Shape(dimensions), &rng, -3, 3)
        let (mean, meanValues) = try randomTensor([channels], &rng)
        let (variance, varianceValues) = try randomTensor([channels], &rng, 0.1, 2)
        let (scale, scaleValues) = try randomTensor([channels], &rng)
        let (offset, offsetValues) = try randomTensor([channels], &rng)
        let epsilon: Float = 1e-3
        let reference = xValues.indices.map { index -> Double in
            let c = coordinates(of: index, in: dimensions)[1]
            return scaleValues[c] * (xValues[index] - meanValues[c]) / (varianceValues[c] + Double(epsilon)).squareRoot()
                + offsetValues[c]
        }
        let result = try backend.batchNorm(x, mean: mean, variance: variance, scale: scale, offset: offset, epsilon: epsilon)
        #expect(result.shape == Shape(dimensions))
        expectClose(try result.toArray(), reference)
    }

    @Test("parameters of the wrong shape throw")
    func errors() throws {
        let x = try backend.filled([2, 3, 4], value: 1)
        let good = try backend.filled([3], value: 1), bad = try backend.filled([4], value: 1)
        expectShapeMismatch("mean") { _ = try backend.batchNorm(x, mean: bad, variance: good, scale: good, offset: good, epsilon: 0) }
        expectShapeMismatch("variance") { _ = try backend.batchNorm(x, mean: good, variance: bad, scale: good, offset: good, epsilon: 0) }
        expectShapeMismatch("scale") { _ = try backend.batchNorm(x, mean: good, variance: good, scale: bad, offset: good, epsilon: 0) }
        expectShapeMismatch("offset") { _ = try backend.batchNorm(x, mean: good, variance: good, scale: good, offset: bad, epsilon: 0) }
        expectShapeMismatch("rank-1 input") {
            _ = try backend.batchNorm(try backend.filled([3], value: 1), mean: good, variance: good, scale: good,
                                      offset: good, epsilon: 0)
        }
    }
}
