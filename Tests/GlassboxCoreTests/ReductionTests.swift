import Testing

@testable import GlassboxCore

/// Reductions on the CPU API by closed forms (a long sum of one value, maxima of negative
/// values, a scalar over no axes) and the axes they refuse. Values over many shapes and
/// axis sets against the reference are the conformance suite's
/// (`Sources/GlassboxConformance/ReductionCases.swift`).
@Suite("Reductions")
struct ReductionTests {
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
        expectInvalidArgument("axis 2 of a rank-2 tensor") {
            _ = try backend.reduce(x, axes: [2], .sum, keepDimensions: true)
        }
        expectInvalidArgument("axis −3 of a rank-2 tensor") {
            _ = try backend.reduce(x, axes: [-3], .max, keepDimensions: false)
        }
        let scalar = try backend.filled([], value: 4)
        expectInvalidArgument("axis 1 of a scalar") {
            _ = try backend.reduce(scalar, axes: [1], .sum, keepDimensions: true)
        }
        expectInvalidArgument("axis 0 of a scalar") {
            _ = try backend.reduce(scalar, axes: [0], .sum, keepDimensions: true)
        }
        expectInvalidArgument("axis −1 of a scalar") {
            _ = try backend.reduce(scalar, axes: [-1], .max, keepDimensions: false)
        }
    }

    @Test("reducing a scalar over no axes is the identity")
    func scalar() throws {
        let scalar = try backend.filled([], value: 4)
        let result = try backend.reduce(scalar, axes: [], .mean, keepDimensions: false)
        #expect(result.shape == [])
        #expect(try result.toArray() == [4])
    }
}

/// The parameter shapes inference batch normalisation refuses (its values are the
/// conformance suite's, `Sources/GlassboxConformance/ShapeCases.swift`).
@Suite("Batch normalisation")
struct BatchNormTests {
    @Test("parameters of the wrong shape throw")
    func errors() throws {
        let x = try backend.filled([2, 3, 4], value: 1)
        let good = try backend.filled([3], value: 1), bad = try backend.filled([4], value: 1)
        expectShapeMismatch("mean") {
            _ = try backend.batchNorm(x, mean: bad, variance: good, scale: good, offset: good, epsilon: 0)
        }
        expectShapeMismatch("variance") {
            _ = try backend.batchNorm(x, mean: good, variance: bad, scale: good, offset: good, epsilon: 0)
        }
        expectShapeMismatch("scale") {
            _ = try backend.batchNorm(x, mean: good, variance: good, scale: bad, offset: good, epsilon: 0)
        }
        expectShapeMismatch("offset") {
            _ = try backend.batchNorm(x, mean: good, variance: good, scale: good, offset: bad, epsilon: 0)
        }
        expectShapeMismatch("rank-1 input") {
            _ = try backend.batchNorm(
                try backend.filled([3], value: 1), mean: good, variance: good, scale: good,
                offset: good, epsilon: 0)
        }
    }
}
