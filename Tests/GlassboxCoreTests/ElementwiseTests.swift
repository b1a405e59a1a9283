import GlassboxTestSupport
import Foundation
import Testing
@testable import GlassboxCore

/// NumPy broadcasting in Float64, by coordinates: each operand's dimensions are
/// right-aligned and an extent-1 axis reads coordinate 0.
func referenceBroadcast(_ a: [Double], _ aShape: [Int], _ b: [Double], _ bShape: [Int],
                        _ combine: (Double, Double) -> Double) -> (values: [Double], shape: [Int]) {
    let rank = max(aShape.count, bShape.count)
    let left = Array(repeating: 1, count: rank - aShape.count) + aShape
    let right = Array(repeating: 1, count: rank - bShape.count) + bShape
    let shape = zip(left, right).map { max($0, $1) }
    let count = shape.reduce(1, *)
    let leftStrides = rowMajorStrides(left), rightStrides = rowMajorStrides(right)
    let values = (0..<count).map { index -> Double in
        let position = coordinates(of: index, in: shape)
        var i = 0, j = 0
        for axis in 0..<rank {
            i += (left[axis] == 1 ? 0 : position[axis]) * leftStrides[axis]
            j += (right[axis] == 1 ? 0 : position[axis]) * rightStrides[axis]
        }
        return combine(a[i], b[j])
    }
    return (values, shape)
}

struct BroadcastCase: Sendable, CustomTestStringConvertible {
    let a: [Int], b: [Int]
    var testDescription: String { "\(a) with \(b)" }
}

private func referenceBinary(_ operation: BinaryOperation) -> (Double, Double) -> Double {
    switch operation {
    case .add: { $0 + $1 }
    case .subtract: { $0 - $1 }
    case .multiply: { $0 * $1 }
    case .divide: { $0 / $1 }
    case .maximum: { max($0, $1) }
    case .minimum: { min($0, $1) }
    }
}

@Suite("Elementwise")
struct ElementwiseTests {
    static let broadcastCases: [BroadcastCase] = [
        BroadcastCase(a: [2, 3, 4], b: [2, 3, 4]),
        BroadcastCase(a: [2, 3, 4], b: [4]),
        BroadcastCase(a: [2, 1, 4], b: [3, 1]),
        BroadcastCase(a: [1], b: [2, 3]),
        BroadcastCase(a: [], b: [2, 2]),
        BroadcastCase(a: [5, 1], b: [1, 7]),
        BroadcastCase(a: [1, 3, 1, 5], b: [2, 1, 4, 1]),
        BroadcastCase(a: [3, 1], b: [3, 1]),
        BroadcastCase(a: [2, 3], b: []),
        BroadcastCase(a: [1, 1], b: [1]),
    ]

    @Test("binary operations broadcast like NumPy", arguments: broadcastCases, BinaryOperation.allCases)
    func binary(c: BroadcastCase, operation: BinaryOperation) throws {
        var rng = SplitMix64(seed: UInt64(c.a.reduce(1, *) * 100 + c.b.reduce(1, *)))
        let (a, aValues) = try randomTensor(Shape(c.a), &rng, -2, 2)
        // Keep divisors away from zero.
        let bFloats = rng.floats(Shape(c.b).count, 0.5, 2).map { rng.unit() < 0.5 ? -$0 : $0 }
        let b = try makeTensor(bFloats, Shape(c.b))
        let reference = referenceBroadcast(aValues, c.a, bFloats.map(Double.init), c.b, referenceBinary(operation))
        let result = try backend.binary(a, b, operation)
        #expect(result.shape == Shape(reference.shape))
        expectClose(try result.toArray(), reference.values, tolerance: 1e-6)
    }

    @Test("shapes that do not broadcast throw", arguments: [
        BroadcastCase(a: [2, 3], b: [3, 2]),
        BroadcastCase(a: [2, 3], b: [4]),
        BroadcastCase(a: [2, 3, 4], b: [3, 1, 5]),
        BroadcastCase(a: [0, 3], b: [2, 3]),
    ])
    func binaryErrors(c: BroadcastCase) throws {
        let a = try backend.filled(Shape(c.a), value: 1), b = try backend.filled(Shape(c.b), value: 1)
        expectShapeMismatch { _ = try backend.binary(a, b, .add) }
        expectShapeMismatch { _ = try backend.binary(b, a, .multiply) }
    }

    @Test("unary operations match Foundation in Float64", arguments: UnaryOperation.allCases)
    func unary(operation: UnaryOperation) throws {
        var rng = SplitMix64(seed: 11)
        let positiveDomain: Set<UnaryOperation> = [.sqrt, .log, .reciprocal]
        let values = positiveDomain.contains(operation) ? rng.floats(101, 0.01, 10) : rng.floats(101, -5, 5)
        let x = try makeTensor(values, [101])
        let f: (Double) -> Double = switch operation {
        case .negate: { -$0 }
        case .abs: { Swift.abs($0) }
        case .square: { $0 * $0 }
        case .sqrt: { $0.squareRoot() }
        case .exp: { Foundation.exp($0) }
        case .log: { Foundation.log($0) }
        case .reciprocal: { 1 / $0 }
        case .positiveIndicator: { $0 > 0 ? 1 : 0 }
        case .positivePart: { max($0, 0) }
        case .negativePart: { min($0, 0) }
        }
        let result = try backend.unary(x, operation)
        #expect(result.shape == [101])
        // Pointwise relative error, since exp and reciprocal span several decades.
        let output = try result.toArray()
        for (index, value) in values.enumerated() {
            let expected = f(Double(value))
            let error = Swift.abs(Double(output[index]) - expected) / max(Swift.abs(expected), 1e-30)
            #expect(error < 1e-6, "\(operation)(\(value)) = \(output[index]), expected \(expected)")
        }
    }

    @Test("positive indicator is 1 exactly where x > 0")
    func positiveIndicator() throws {
        let x = try makeTensor([-1, -0.0, 0, 1e-30, 3, -.infinity, .infinity], [7])
        #expect(try backend.unary(x, .positiveIndicator).toArray() == [0, 0, 0, 1, 1, 0, 1])
    }

    @Test("affine and axpy")
    func affineAndAxpy() throws {
        var rng = SplitMix64(seed: 3)
        let (x, xValues) = try randomTensor([3, 5], &rng)
        let (y, yValues) = try randomTensor([3, 5], &rng)
        expectClose(try backend.affine(x, scale: -2.5, shift: 0.75).toArray(), xValues.map { -2.5 * $0 + 0.75 })
        expectClose(try backend.axpy(alpha: 1.5, x, y).toArray(), zip(xValues, yValues).map { 1.5 * $0 + $1 })
        expectShapeMismatch("axpy of different shapes") {
            _ = try backend.axpy(alpha: 1, x, try backend.filled([5, 3], value: 0))
        }
        expectShapeMismatch("axpy does not broadcast") {
            _ = try backend.axpy(alpha: 1, x, try backend.filled([5], value: 0))
        }
    }

    @Test("the stabilised quotient: sign(0) = +1, and 0 where the denominator stays 0")
    func stabilizedDivide() throws {
        let numerator = try makeTensor([1, 1, -2, 3, 4, 5], [6])
        let denominator = try makeTensor([0, -0.5, 0.5, 2, 0, -1e-7], [6])
        expectClose(try backend.stabilizedDivide(numerator, denominator, epsilon: 0.5).toArray(),
                    [2, -1, -2, 3 / 2.5, 8, 5 / (-0.5 - 1e-7)])
        expectClose(try backend.stabilizedDivide(numerator, denominator, epsilon: 0).toArray(),
                    [0, -2, -4, 1.5, 0, -5e7])
        expectShapeMismatch("stabilised quotient of different shapes") {
            _ = try backend.stabilizedDivide(numerator, try backend.filled([3], value: 1), epsilon: 0)
        }
    }
}

@Suite("Activations")
struct ActivationTests {
    static let kinds: [ActivationKind] = [.relu, .leakyReLU(slope: 0.1), .leakyReLU(slope: -0.5), .sigmoid, .tanh]

    static func reference(_ kind: ActivationKind) -> (Double) -> Double {
        switch kind {
        case .relu: { max($0, 0) }
        case .leakyReLU(let slope): { $0 > 0 ? $0 : Double(slope) * $0 }
        case .sigmoid: { 1 / (1 + Foundation.exp(-$0)) }
        case .tanh: { Foundation.tanh($0) }
        }
    }

    @Test("forward matches Float64", arguments: kinds)
    func forward(kind: ActivationKind) throws {
        var rng = SplitMix64(seed: 5)
        let values = rng.floats(200, -6, 6) + [0, -0.0, 30, -30, 100, -100]
        let x = try makeTensor(values, [values.count])
        let f = Self.reference(kind)
        let output = try backend.activation(x, kind).toArray()
        #expect(output.allSatisfy { $0.isFinite })
        expectClose(output, values.map { f(Double($0)) }, tolerance: 1e-6)
    }

    @Test("backward matches central finite differences of L = Σ r·f(x)", arguments: kinds)
    func backward(kind: ActivationKind) throws {
        var rng = SplitMix64(seed: 8)
        // Stay away from the kink at 0, where the difference quotient is not the derivative.
        let values = rng.floats(150, 0.01, 4).map { rng.unit() < 0.5 ? -$0 : $0 }
        let rValues = rng.floats(values.count).map(Double.init)
        let x = try makeTensor(values, [3, 50])
        let r = try makeTensor(rValues.map { Float($0) }, [3, 50])
        let y = try backend.activation(x, kind)
        let f = Self.reference(kind)
        let numeric = finiteDifferenceGradient(at: values.map(Double.init)) { point in
            zip(rValues, point).reduce(0) { $0 + $1.0 * f($1.1) }
        }
        let gx = try backend.activationBackward(r, input: x, output: y, kind: kind)
        #expect(gx.shape == [3, 50])
        expectClose(try gx.toArray(), numeric)
    }

    @Test("ReLU backward modes follow their definitions exactly")
    func reluModes() throws {
        // Every sign combination of x and g, including zeros.
        let xs: [Float] = [2, 2, 2, -2, -2, -2, 0, 0, 0]
        let gs: [Float] = [3, -3, 0, 3, -3, 0, 3, -3, 0]
        let x = try makeTensor(xs, [3, 3]), g = try makeTensor(gs, [3, 3])
        // gradient = g·[x > 0]
        #expect(try backend.reluBackward(g, input: x, mode: .gradient).toArray() == [3, -3, 0, 0, 0, 0, 0, 0, 0])
        // guided = g·[x > 0]·[g > 0]
        #expect(try backend.reluBackward(g, input: x, mode: .guided).toArray() == [3, 0, 0, 0, 0, 0, 0, 0, 0])
        // deconvnet = max(g, 0), ignoring x
        #expect(try backend.reluBackward(g, input: x, mode: .deconvnet).toArray() == [3, 0, 0, 3, 0, 0, 3, 0, 0])
        // The plain activation gradient of a ReLU is the true gradient.
        let y = try backend.activation(x, .relu)
        #expect(try backend.activationBackward(g, input: x, output: y, kind: .relu).toArray() == [3, -3, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("leaky ReLU backward at and around zero")
    func leakyAtZero() throws {
        let x = try makeTensor([-1, 0, 1], [3]), g = try makeTensor([10, 10, 10], [3])
        let y = try backend.activation(x, .leakyReLU(slope: 0.2))
        #expect(try y.toArray() == [-0.2, 0, 1])
        #expect(try backend.activationBackward(g, input: x, output: y, kind: .leakyReLU(slope: 0.2)).toArray() == [2, 2, 10])
    }

    @Test("mismatched gradient shapes throw")
    func errors() throws {
        let x = try backend.filled([2, 3], value: 1), g = try backend.filled([3, 2], value: 1)
        for mode in ReLUBackwardMode.allCases {
            expectShapeMismatch("\(mode)") { _ = try backend.reluBackward(g, input: x, mode: mode) }
        }
        let other = try backend.filled([6], value: 1), y = try backend.filled([2, 3], value: 0.5)
        for kind in [ActivationKind.leakyReLU(slope: 0.1), .sigmoid, .tanh, .relu] {
            expectShapeMismatch("\(kind), gradient") { _ = try backend.activationBackward(g, input: x, output: y, kind: kind) }
            expectShapeMismatch("\(kind), input") { _ = try backend.activationBackward(y, input: other, output: y, kind: kind) }
            expectShapeMismatch("\(kind), output") { _ = try backend.activationBackward(y, input: x, output: other, kind: kind) }
        }
    }
}
