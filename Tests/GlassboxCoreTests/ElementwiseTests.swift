import GlassboxTestSupport
import Testing

@testable import GlassboxCore

/// Two shapes that a test broadcasts against each other.
struct BroadcastCase: Sendable, CustomTestStringConvertible {
    let a: [Int], b: [Int]
    var testDescription: String { "\(a) with \(b)" }
}

/// Elementwise operations on the CPU API by hand-computed examples (the positive
/// indicator at signed zeros and infinities, affine and axpy, the stabilised quotient's
/// sign and zero conventions) and the shapes they refuse. Values over many shapes
/// against the reference are the conformance suite's
/// (`Sources/GlassboxConformance/ElementwiseCases.swift`).
@Suite("Elementwise")
struct ElementwiseTests {
    @Test(
        "shapes that do not broadcast throw",
        arguments: [
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

    @Test("positive indicator is 1 exactly where x > 0")
    func positiveIndicator() throws {
        let x = try makeTensor([-1, -0.0, 0, 1e-30, 3, -.infinity, .infinity], [7])
        #expect(try backend.unary(x, .positiveIndicator).toArray() == [0, 0, 0, 1, 1, 0, 1])
    }

    @Test("affine and axpy")
    func affineAndAxpy() throws {
        let x = try makeTensor([1, -2, 0.5], [3]), y = try makeTensor([1, 1, 1], [3])
        #expect(try backend.affine(x, scale: -2.5, shift: 0.75).toArray() == [-1.75, 5.75, -0.5])
        #expect(try backend.axpy(alpha: 1.5, x, y).toArray() == [2.5, -2, 1.75])
        expectShapeMismatch("axpy of different shapes") {
            _ = try backend.axpy(alpha: 1, x, try backend.filled([1, 3], value: 0))
        }
        expectShapeMismatch("axpy does not broadcast") {
            _ = try backend.axpy(alpha: 1, x, try backend.filled([1], value: 0))
        }
    }

    @Test("the stabilised quotient: sign(0) = +1, and 0 where the denominator stays 0")
    func stabilizedDivide() throws {
        let numerator = try makeTensor([1, 1, -2, 3, 4, 5], [6])
        let denominator = try makeTensor([0, -0.5, 0.5, 2, 0, -1e-7], [6])
        expectClose(
            try backend.stabilizedDivide(numerator, denominator, epsilon: 0.5).toArray(),
            [2, -1, -2, 3 / 2.5, 8, 5 / (-0.5 - 1e-7)])
        expectClose(
            try backend.stabilizedDivide(numerator, denominator, epsilon: 0).toArray(),
            [0, -2, -4, 1.5, 0, -5e7])
        expectShapeMismatch("stabilised quotient of different shapes") {
            _ = try backend.stabilizedDivide(numerator, try backend.filled([3], value: 1), epsilon: 0)
        }
    }
}

/// Activations on the CPU API by hand-computed examples (every sign combination of the
/// ReLU backward modes, the leaky ReLU around zero) and the shapes they refuse. Values
/// and gradients against the reference are the conformance suite's
/// (`Sources/GlassboxConformance/ActivationCases.swift`).
@Suite("Activations")
struct ActivationTests {
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
        #expect(
            try backend.activationBackward(g, input: x, output: y, kind: .relu).toArray() == [
                3, -3, 0, 0, 0, 0, 0, 0, 0,
            ])
    }

    @Test("leaky ReLU backward at and around zero")
    func leakyAtZero() throws {
        let x = try makeTensor([-1, 0, 1], [3]), g = try makeTensor([10, 10, 10], [3])
        let y = try backend.activation(x, .leakyReLU(slope: 0.2))
        #expect(try y.toArray() == [-0.2, 0, 1])
        #expect(
            try backend.activationBackward(g, input: x, output: y, kind: .leakyReLU(slope: 0.2)).toArray() == [
                2, 2, 10,
            ])
    }

    @Test("mismatched gradient shapes throw")
    func errors() throws {
        let x = try backend.filled([2, 3], value: 1), g = try backend.filled([3, 2], value: 1)
        for mode in ReLUBackwardMode.allCases {
            expectShapeMismatch("\(mode)") { _ = try backend.reluBackward(g, input: x, mode: mode) }
        }
        let other = try backend.filled([6], value: 1), y = try backend.filled([2, 3], value: 0.5)
        for kind in [ActivationKind.leakyReLU(slope: 0.1), .sigmoid, .tanh, .relu] {
            expectShapeMismatch("\(kind), gradient") {
                _ = try backend.activationBackward(g, input: x, output: y, kind: kind)
            }
            expectShapeMismatch("\(kind), input") {
                _ = try backend.activationBackward(y, input: other, output: y, kind: kind)
            }
            expectShapeMismatch("\(kind), output") {
                _ = try backend.activationBackward(y, input: x, output: other, kind: kind)
            }
        }
    }
}
