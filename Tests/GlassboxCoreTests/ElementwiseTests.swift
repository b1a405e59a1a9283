import GlassboxTestSupport
import Testing

@testable import GlassboxCore

/// Two shapes that a test broadcasts against each other.
struct BroadcastCase: Sendable, CustomTestStringConvertible {
    let a: [Int], b: [Int]
    var testDescription: String { "\(a) with \(b)" }
}

/// Elementwise operations on the CPU API by hand-computed examples (the positive
/// indicator at signed zeros and infinities, power's IEEE special cases, equal's NaN and
/// signed zeros, sign keeping NaN, affine and axpy, the stabilised quotient's sign and
/// zero conventions) and the shapes they refuse. Values over many shapes
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

    @Test("power follows IEEE pow: negative bases give NaN with non-integer exponents")
    func power() throws {
        let a = try makeTensor([2, -2, -2, 4, 0, 0, -8, .nan, 1], [9])
        let b = try makeTensor([3, 3, 0.5, 0.5, 0, -1, 1.0 / 3, 0, .nan], [9])
        let result = try backend.binary(a, b, .power).toArray()
        expectClose(result, [8, -8, .nan, 2, 1, .infinity, .nan, 1, 1])
        #expect(result[2].isNaN && result[6].isNaN)
        // Broadcasting a column of bases against a row of exponents.
        let bases = try makeTensor([3, -1], [2, 1]), exponents = try makeTensor([0, 1, 2], [3])
        #expect(try backend.binary(bases, exponents, .power).toArray() == [1, 3, 9, 1, -1, 1])
    }

    @Test("equal is a float mask: signed zeros are equal, NaN equals nothing")
    func equal() throws {
        let a = try makeTensor([1, 1, 0, .nan, .infinity, -.infinity, 3], [7])
        let b = try makeTensor([1, 2, -0.0, .nan, .infinity, .infinity, Float(3).nextUp], [7])
        #expect(try backend.binary(a, b, .equal).toArray() == [1, 0, 1, 0, 1, 0, 0])
        let row = try makeTensor([1, 2, 3], [3]), column = try makeTensor([2, 3], [2, 1])
        #expect(try backend.binary(column, row, .equal).toArray() == [0, 1, 0, 0, 0, 1])
    }

    @Test("sign is −1, 0 or 1, and NaN stays NaN")
    func sign() throws {
        let x = try makeTensor([-2, -1e-30, -0.0, 0, 1e-30, 3, -.infinity, .infinity, .nan], [9])
        let result = try backend.unary(x, .sign).toArray()
        #expect(Array(result[0..<8]) == [-1, -1, 0, 0, 1, 1, -1, 1])
        #expect(result[8].isNaN)
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
/// ReLU backward modes, the leaky ReLU around zero, erf, hard-sigmoid, hard-swish and the
/// GELUs with their derivatives at known points, NaN and infinities) and the shapes they refuse. Values
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

    /// One kind's values and derivatives at a few points, from the definitions to many digits.
    struct KnownActivation: Sendable, CustomTestStringConvertible {
        let kind: ActivationKind
        let x: [Float]
        let y: [Double]
        let derivative: [Double]
        var testDescription: String { "\(kind)" }
    }

    static let knownActivations = [
        KnownActivation(
            kind: .erf, x: [0, 0.5, 1, -2, 10, -10], y: [0, 0.5204998778, 0.8427007929, -0.9953222650, 1, -1],
            derivative: [1.1283791671, 0.8787825789, 0.4151074974, 0.0206669854, 0, 0]),
        KnownActivation(
            kind: .gelu(tanhApproximation: false), x: [0, 1, -1, 2, -3, 10, -10],
            y: [0, 0.8413447461, -0.1586552539, 1.9544997361, -0.0040496941, 10, -7.619853e-23],
            derivative: [0.5, 1.0833154706, -0.0833154706, 1.0852318011, -0.0119456472, 1, 0]),
        KnownActivation(
            kind: .gelu(tanhApproximation: true), x: [0, 1, -1, 2, 10, -10],
            y: [0, 0.8411919906, -0.1588080094, 1.9545976941, 10, 0],
            derivative: [0.5, 1.0829640838, -0.0829640838, 1.0860992566, 1, 0]),
        KnownActivation(
            kind: .hardSwish, x: [-4, -3, -1, 0, 1, 3, 4],
            y: [0, 0, -1.0 / 3, 0, 2.0 / 3, 3, 4],
            // PyTorch's hardswish_backward: x/3 + 1/2 on [−3, 3], closed at both ends.
            derivative: [0, -0.5, 1.0 / 6, 0.5, 5.0 / 6, 1.5, 1]),
        KnownActivation(
            kind: .hardSigmoid(alpha: 1.0 / 6, beta: 0.5), x: [-10, -3, 0, 1, 3, 10],
            y: [0, 0, 0.5, 2.0 / 3, 1, 1], derivative: [0, 0, 1.0 / 6, 1.0 / 6, 0, 0]),
        KnownActivation(
            kind: .hardSigmoid(alpha: 0.2, beta: 0.5), x: [-10, -2.5, 0, 1, 2.5, 10],
            y: [0, 0, 0.5, 0.7, 1, 1], derivative: [0, 0, 0.2, 0.2, 0, 0]),
    ]

    @Test("the newer activations at known points", arguments: knownActivations)
    func knownValues(known: KnownActivation) throws {
        let x = try makeTensor(known.x, [known.x.count]), y = try backend.activation(x, known.kind)
        let g = try makeTensor(Array(repeating: 2, count: known.x.count), [known.x.count])
        let gradient = try backend.activationBackward(g, input: x, output: y, kind: known.kind).toArray()
        for (index, (value, slope)) in zip(try y.toArray(), gradient).enumerated() {
            // Each value on its own scale (its normalised error is relative to |expected|).
            expectClose([value], [known.y[index]], tolerance: 2e-6, "value at \(known.x[index])")
            expectClose([slope], [2 * known.derivative[index]], tolerance: 2e-6, "derivative at \(known.x[index])")
        }
    }

    @Test("the newer activations keep NaN; hard-swish and the GELUs are NaN at −∞ as their definitions")
    func nanAndInfinities() throws {
        let x = try makeTensor([.nan, .infinity, -.infinity], [3])
        let expected: [(ActivationKind, [Float])] = [
            (.erf, [.nan, 1, -1]), (.hardSigmoid(alpha: 0.2, beta: 0.5), [.nan, 1, 0]),
            (.hardSwish, [.nan, .infinity, .nan]), (.gelu(tanhApproximation: false), [.nan, .infinity, .nan]),
            (.gelu(tanhApproximation: true), [.nan, .infinity, .nan]),
        ]
        for (kind, values) in expected {
            let result = try backend.activation(x, kind).toArray()
            #expect(zip(result, values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(kind): \(result)")
        }
    }

    @Test("mismatched gradient shapes throw")
    func errors() throws {
        let x = try backend.filled([2, 3], value: 1), g = try backend.filled([3, 2], value: 1)
        for mode in ReLUBackwardMode.allCases {
            expectShapeMismatch("\(mode)") { _ = try backend.reluBackward(g, input: x, mode: mode) }
        }
        let other = try backend.filled([6], value: 1), y = try backend.filled([2, 3], value: 0.5)
        let kinds: [ActivationKind] = [
            .leakyReLU(slope: 0.1), .sigmoid, .tanh, .relu, .erf, .hardSigmoid(alpha: 0.2, beta: 0.5), .hardSwish,
            .gelu(tanhApproximation: false), .gelu(tanhApproximation: true),
        ]
        for kind in kinds {
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
