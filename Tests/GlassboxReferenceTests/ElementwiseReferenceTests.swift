import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxReference
import GlassboxTestSupport
import Testing

/// The reference activations, by means independent of their definitions: values known
/// by hand or by identity (σ(x) + σ(−x) = 1, tanh x = 2σ(2x) − 1, oddness, GELU(x) − GELU(−x)
/// = x, hard-swish = x·hard-sigmoid, saturation without overflow), the true gradient against
/// central differences of the forward pass (away from the kinks of the piecewise kinds),
/// the ReLU backward modes by a truth table, and the shape refusals.
@Suite("Reference activations")
struct ActivationReferenceTests {
    static let kinds: [ActivationKind] = [
        .relu, .leakyReLU(slope: 0.1), .leakyReLU(slope: -0.5), .sigmoid, .tanh, .erf, .gelu(tanhApproximation: false),
        .gelu(tanhApproximation: true),
    ]
    /// The piecewise kinds with kinks away from 0, checked on inputs away from their kinks.
    static let piecewiseKinds: [ActivationKind] = [
        .hardSigmoid(alpha: 0.2, beta: 0.5), .hardSigmoid(alpha: 1.0 / 6, beta: 0.5),
        .hardSigmoid(alpha: -0.5, beta: 0.25), .hardSwish,
    ]

    func activate(_ values: [Float], _ kind: ActivationKind) throws -> [Float] {
        try reference.activation(try tensor(values, [values.count]), kind).toArray()
    }

    @Test("values known by hand")
    func handComputed() throws {
        #expect(try activate([-2, 0, 0.5, 3], .relu) == [0, 0, 0.5, 3])
        #expect(try activate([-2, 0, 0.5, 3], .leakyReLU(slope: 0.25)) == [-0.5, 0, 0.5, 3])
        #expect(try activate([-2, 3], .leakyReLU(slope: -0.5)) == [1, 3])
        #expect(try activate([0], .sigmoid) == [0.5])
        #expect(try activate([0], .tanh) == [0])
        // Saturation without overflow, computed in Float64: σ(−100) = 3.7e−44 is a Float32 subnormal.
        #expect(try activate([100, -100, 1e4, -1e4], .sigmoid) == [1, Float(1 / (1 + exp(100.0))), 1, 0])
        #expect(try activate([100, -100, 1e4, -1e4], .tanh) == [1, -1, 1, -1])
    }

    @Test("the newer kinds: values known by hand")
    func newerKindsByHand() throws {
        expectClose(try activate([0, 0.5, -2], .erf), [0, 0.5204998778, -0.9953222650], tolerance: 1e-7)
        expectClose(try activate([1], .gelu(tanhApproximation: false)), [0.8413447461], tolerance: 1e-7)
        expectClose(try activate([1], .gelu(tanhApproximation: true)), [0.8411919906], tolerance: 1e-7)
        expectClose(try activate([1, -1], .hardSwish), [2.0 / 3, -1.0 / 3], tolerance: 1e-7)
        #expect(try activate([-10, -3, 3, 10, 0], .hardSwish) == [0, 0, 3, 10, 0])
        #expect(try activate([-10, -3, 0, 3, 10], .hardSigmoid(alpha: 1.0 / 6, beta: 0.5)) == [0, 0, 0.5, 1, 1])
        #expect(try activate([1, -2.5, 2.5], .hardSigmoid(alpha: 0.2, beta: 0.5)) == [0.7, 0, 1])
        // Saturation: erf(±10) = ±1, GELU(x) = x far right and 0 far left, without NaN.
        #expect(try activate([10, -10], .erf) == [1, -1])
        for approximation in [false, true] {
            let far = try activate([1e4, -1e4, 1e20, -1e20], .gelu(tanhApproximation: approximation))
            #expect(far == [1e4, 0, 1e20, 0], "tanh approximation: \(approximation)")
        }
    }

    @Test("the newer kinds' identities: erf is odd, GELU(x) − GELU(−x) = x, hard-swish = x·hard-sigmoid(1/6, ½)")
    func newerKindsIdentities() throws {
        var random = SplitMix64(name: "newer activation identities")
        let x = random.floats(101, -6, 6)
        let erf = try activate(x, .erf)
        #expect(try activate(x.map { -$0 }, .erf) == erf.map { -$0 })
        for approximation in [false, true] {
            let kind = ActivationKind.gelu(tanhApproximation: approximation)
            let difference = zip(try activate(x, kind), try activate(x.map { -$0 }, kind)).map { $0 - $1 }
            expectClose(difference, x.map(Double.init), tolerance: 1e-6, "tanh approximation: \(approximation)")
        }
        let gate = try activate(x, .hardSigmoid(alpha: 1.0 / 6, beta: 0.5))
        expectClose(try activate(x, .hardSwish), zip(x, gate).map { Double($0) * Double($1) }, tolerance: 1e-6)
        // The tanh form approximates the exact GELU to a few parts in 10⁴.
        expectClose(
            try activate(x, .gelu(tanhApproximation: true)),
            try activate(x, .gelu(tanhApproximation: false)).map(Double.init), tolerance: 1e-3)
    }

    @Test("σ(x) + σ(−x) = 1 (to two ulps), tanh is odd, tanh x = 2σ(2x) − 1")
    func identities() throws {
        var random = SplitMix64(name: "activation identities")
        let x = random.floats(101, -6, 6)
        let sigmoid = try activate(x, .sigmoid), mirrored = try activate(x.map { -$0 }, .sigmoid)
        expectClose(zip(sigmoid, mirrored).map { $0 + $1 }, Array(repeating: 1, count: x.count), tolerance: 2.5e-7)
        let tanh = try activate(x, .tanh)
        #expect(try activate(x.map { -$0 }, .tanh) == tanh.map { -$0 })
        let doubled = try activate(x.map { 2 * $0 }, .sigmoid)
        expectClose(tanh, doubled.map { 2 * Double($0) - 1 }, tolerance: 1e-6)
    }

    /// Inputs on a binary grid away from the kink at 0 (|x| ≥ 0.2), so the ReLUs are linear
    /// over a step of 1/8; sigmoid and tanh are smooth: steps 1, 1/2, 1/4 and 1/8 combined by
    /// three Richardson levels.
    @Test("the gradient equals central differences of L = Σ r·f(x)", arguments: kinds)
    func finiteDifferences(kind: ActivationKind) throws {
        var random = SplitMix64(name: "activation finite differences \(kind)")
        let x = random.awayFromZero(150, margin: 0.2, limit: 4).map { ($0 * 1024).rounded() / 1024 }
        let r = gridFloats(x.count, &random)
        let smooth =
            switch kind {
            case .relu, .leakyReLU, .hardSigmoid, .hardSwish: false
            case .sigmoid, .tanh, .erf, .gelu: true
            }
        let numeric = try centralDifferences(at: x, step: smooth ? 1 : 0.125, extrapolations: smooth ? 3 : 0) {
            dot(r, try activate($0, kind))
        }
        let input = try tensor(x, [3, 50])
        let gradient = try reference.activationBackward(
            try tensor(r, [3, 50]), input: input,
            output: try reference.activation(input, kind), kind: kind)
        #expect(gradient.shape == [3, 50])
        expectClose(try gradient.toArray(), numeric, tolerance: 1e-5)
    }

    /// Inputs on a binary grid at least 1/4 from every kink (0, ±2.5, ±3, 0.5, −1.5), so each
    /// kind is linear or quadratic over a step of 1/8, where central differences are exact.
    @Test("piecewise kinds: the gradient equals central differences away from the kinks", arguments: piecewiseKinds)
    func piecewiseFiniteDifferences(kind: ActivationKind) throws {
        var random = SplitMix64(name: "piecewise activation finite differences \(kind)")
        let kinks: [Float] = [0, 2.5, -2.5, 3, -3, 0.5, -1.5]
        let x = random.floats(400, -5, 5).map { ($0 * 1024).rounded() / 1024 }
            .filter { value in kinks.allSatisfy { abs(value - $0) >= 0.25 } }.prefix(150)
        let r = gridFloats(x.count, &random)
        let numeric = try centralDifferences(at: Array(x), step: 0.125) { dot(r, try activate($0, kind)) }
        let input = try tensor(Array(x), [x.count])
        let gradient = try reference.activationBackward(
            try tensor(r, [x.count]), input: input, output: try reference.activation(input, kind), kind: kind)
        expectClose(try gradient.toArray(), numeric, tolerance: 1e-5)
    }

    @Test("hard-swish's gradient at its kinks is PyTorch's: x/3 + ½ on [−3, 3], 0 below, 1 above")
    func hardSwishKinks() throws {
        let x = try tensor([-3, 3, Float(-3).nextDown, Float(3).nextUp], [4]), g = try tensor([6, 6, 6, 6], [4])
        let gradient = try reference.activationBackward(
            g, input: x, output: try reference.activation(x, .hardSwish), kind: .hardSwish)
        #expect(try gradient.toArray() == [-3, 9, 0, 6])
    }

    @Test("ReLU backward modes follow their truth table")
    func reluModes() throws {
        // (x, g, gradient g·[x > 0], guided g·[x > 0]·[g > 0], deconvnet max(g, 0))
        let table: [(x: Float, g: Float, gradient: Float, guided: Float, deconvnet: Float)] = [
            (1.5, 4, 4, 4, 4), (1.5, -4, -4, 0, 0), (1.5, 0, 0, 0, 0), (-1.5, 4, 0, 0, 4), (-1.5, -4, 0, 0, 0),
            (-1.5, 0, 0, 0, 0), (0, 4, 0, 0, 4), (0, -4, 0, 0, 0), (0, 0, 0, 0, 0),
        ]
        let x = try tensor(table.map(\.x), [table.count]), g = try tensor(table.map(\.g), [table.count])
        let expected: [(ReLUBackwardMode, [Float])] = [
            (.gradient, table.map(\.gradient)), (.guided, table.map(\.guided)),
            (.deconvnet, table.map(\.deconvnet)),
        ]
        for (mode, values) in expected {
            #expect(try reference.reluBackward(g, input: x, mode: mode).toArray() == values, "\(mode)")
        }
        // The true ReLU gradient is the gradient mode's, and a leaky ReLU passes slope·g below 0.
        let y = try reference.activation(x, .relu)
        #expect(
            try reference.activationBackward(g, input: x, output: y, kind: .relu).toArray() == table.map(\.gradient))
        let leaky = try reference.activationBackward(g, input: x, output: y, kind: .leakyReLU(slope: 0.5)).toArray()
        #expect(leaky == table.map { $0.x > 0 ? $0.g : 0.5 * $0.g })
    }

    @Test("gradients of other shapes are refused")
    func refusals() throws {
        let x = try reference.filled([2, 3], value: 1), other = try reference.filled([3, 2], value: 1)
        for mode in ReLUBackwardMode.allCases {
            #expect(throws: GlassboxError.self, "\(mode)") { try reference.reluBackward(other, input: x, mode: mode) }
        }
        for kind in Self.kinds + Self.piecewiseKinds {
            #expect(throws: GlassboxError.self, "\(kind)") {
                try reference.activationBackward(other, input: x, output: x, kind: kind)
            }
            #expect(throws: GlassboxError.self, "\(kind)") {
                try reference.activationBackward(x, input: x, output: other, kind: kind)
            }
        }
    }
}

/// The reference elementwise operations, by means independent of their definitions:
/// broadcasting computed by hand and equal to broadcasting both operands first, the
/// identities a − b = a + (−b), max + min = a + b, −(−x) = x, |x| = max(x, −x),
/// x² = x·x = pow(x, 2), sign(x)·|x| = x, x == x, (x⁺) + (x⁻) = x, exp ∘ log = 1/(1/x) = x,
/// values known by hand (power, equal, sign, affine, axpy, LRP's stabilised quotient with
/// its sign(0) = +1 convention), and the refusals of ``BroadcastLayout``.
@Suite("Reference elementwise operations")
struct ElementwiseReferenceTests {
    @Test("broadcasting by hand: a column against a row")
    func handBroadcast() throws {
        let column = try tensor([1, 2], [2, 1]), row = try tensor([10, 20, 40], [3])
        let expected: [(BinaryOperation, [Float])] = [
            (.add, [11, 21, 41, 12, 22, 42]), (.subtract, [-9, -19, -39, -8, -18, -38]),
            (.multiply, [10, 20, 40, 20, 40, 80]),
            (.divide, [0.1, 0.05, 0.025, 0.2, 0.1, 0.05]), (.maximum, [10, 20, 40, 10, 20, 40]),
            (.minimum, [1, 1, 1, 2, 2, 2]),
        ]
        for (operation, values) in expected {
            let result = try reference.binary(column, row, operation)
            #expect(result.shape == [2, 3])
            #expect(try result.toArray() == values, "\(operation)")
        }
        let scalar = try tensor([3], [])
        #expect(try reference.binary(row, scalar, .subtract).toArray() == [7, 17, 37])
    }

    @Test(
        "a binary operation equals the same operation on operands broadcast first", arguments: BinaryOperation.allCases)
    func broadcastFirst(operation: BinaryOperation) throws {
        var random = SplitMix64(name: "broadcast first \(operation)")
        let pairs: [(Shape, Shape, Shape)] = [
            ([3, 1, 5], [4, 1], [3, 4, 5]), ([], [2, 3], [2, 3]),
            ([1, 3, 1, 5], [2, 1, 4, 1], [2, 3, 4, 5]),
        ]
        for (left, right, shape) in pairs {
            let a = try tensor(random.floats(left.count), left), b = try tensor(random.awayFromZero(right.count), right)
            let direct = try reference.binary(a, b, operation)
            #expect(direct.shape == shape)
            let expanded = try reference.binary(
                reference.broadcast(a, to: shape), reference.broadcast(b, to: shape), operation)
            // Bit patterns, so that NaNs (a negative base to a non-integer power) compare equal.
            #expect(
                try direct.toArray().map(\.bitPattern) == expanded.toArray().map(\.bitPattern),
                "\(left) with \(right)")
        }
    }

    @Test("identities between the operations hold bit for bit or to a rounding")
    func identities() throws {
        var random = SplitMix64(name: "elementwise identities")
        let x = try tensor(random.floats(127, -4, 4, zeroEvery: 9), [127]),
            y = try tensor(random.floats(127, -4, 4), [127])
        func values(_ tensor: Tensor) throws -> [Float] { try tensor.toArray() }
        let u = try values(x)
        #expect(
            try values(reference.binary(x, y, .subtract))
                == values(reference.binary(x, reference.unary(y, .negate), .add)))
        #expect(
            try values(reference.binary(reference.binary(x, y, .maximum), reference.binary(x, y, .minimum), .add))
                == values(reference.binary(x, y, .add)))
        #expect(try values(reference.unary(reference.unary(x, .negate), .negate)) == u)
        #expect(
            try values(reference.unary(x, .abs)) == values(reference.binary(x, reference.unary(x, .negate), .maximum)))
        #expect(try values(reference.unary(x, .square)) == values(reference.binary(x, x, .multiply)))
        #expect(
            try values(reference.binary(reference.unary(x, .positivePart), reference.unary(x, .negativePart), .add))
                == u)
        #expect(
            try values(reference.binary(reference.unary(x, .positiveIndicator), x, .multiply))
                == values(reference.unary(x, .positivePart)))
        expectClose(
            try values(reference.unary(reference.unary(x, .square), .sqrt)), u.map { abs(Double($0)) }, tolerance: 1e-7)
        let positive = try reference.unary(y, .abs)
        expectClose(
            try values(reference.unary(reference.unary(positive, .log), .exp)), try values(positive).map(Double.init),
            tolerance: 1e-6)
        expectClose(
            try values(reference.unary(reference.unary(positive, .reciprocal), .reciprocal)),
            try values(positive).map(Double.init), tolerance: 1e-6)
    }

    @Test("power, equal and sign by hand")
    func newerOperationsByHand() throws {
        let a = try tensor([2, -2, -2, 4, 0, 0, -0.0, .nan, 1], [9]),
            b = try tensor([3, 3, 0.5, 0.5, 0, -1, -1, 0, .nan], [9])
        let power = try reference.binary(a, b, .power).toArray()
        #expect(power.map { $0.isNaN ? 99 : $0 } == [8, -8, 99, 2, 1, .infinity, -.infinity, 1, 1])
        let c = try tensor([1, 1, 0, .nan, .infinity, 3], [6]), d = try tensor([1, 2, -0.0, .nan, .infinity, 3.5], [6])
        #expect(try reference.binary(c, d, .equal).toArray() == [1, 0, 1, 0, 1, 0])
        let sign = try reference.unary(try tensor([-2, -0.0, 0, 1e-30, .infinity, .nan], [6]), .sign).toArray()
        #expect(sign[0..<5] == [-1, 0, 0, 1, 1] && sign[5].isNaN)
    }

    @Test("the newer operations' identities: sign(x)·|x| = x, x == x, x² by power and by square")
    func newerOperationsIdentities() throws {
        var random = SplitMix64(name: "newer elementwise identities")
        let x = try tensor(random.floats(127, -4, 4, zeroEvery: 9), [127])
        let u = try x.toArray()
        #expect(try reference.binary(reference.unary(x, .sign), reference.unary(x, .abs), .multiply).toArray() == u)
        #expect(try reference.binary(x, x, .equal).toArray() == Array(repeating: 1, count: u.count))
        let two = try tensor([2], [])
        #expect(try reference.binary(x, two, .power).toArray() == reference.unary(x, .square).toArray())
        let positive = try reference.unary(x, .abs)
        expectClose(
            try reference.binary(positive, try tensor([0.5], []), .power).toArray(),
            try reference.unary(positive, .sqrt).toArray().map(Double.init), tolerance: 1e-7)
    }

    @Test("values known by hand")
    func handComputed() throws {
        let x = try tensor([0, 1, 4, -3], [4])
        let exponentials = try reference.unary(x, .exp).toArray()
        #expect(exponentials[0] == 1 && abs(Double(exponentials[1]) - M_E) < 2e-7)
        #expect(try reference.unary(x, .sqrt).toArray()[0...2] == [0, 1, 2])
        #expect(try reference.unary(x, .reciprocal).toArray()[1...3] == [1, 0.25, Float(-1.0 / 3)])
        #expect(try reference.unary(x, .log).toArray()[1] == 0)
        #expect(try reference.unary(x, .positiveIndicator).toArray() == [0, 1, 1, 0])
        #expect(try reference.affine(x, scale: 3, shift: -1).toArray() == [-1, 2, 11, -10])
        #expect(try reference.axpy(alpha: 2, x, tensor([10, 20, 30, 40], [4])).toArray() == [10, 22, 38, 34])
    }

    /// n / (d + ε·sign d) with sign(0) = +1 (also for −0), and 0 where d + ε·sign d is 0.
    @Test("the stabilised quotient by hand")
    func stabilizedDivide() throws {
        let numerator = try tensor([6, 6, 6, 6, 6], [5]), denominator = try tensor([2, -2, 0, -0.0, -1], [5])
        #expect(try reference.stabilizedDivide(numerator, denominator, epsilon: 1).toArray() == [2, -2, 6, 6, -3])
        #expect(try reference.stabilizedDivide(numerator, denominator, epsilon: 0).toArray() == [3, -3, 0, 0, -6])
    }

    @Test("refuses the shapes the broadcast layout refuses, and unequal shapes where none broadcast")
    func refusals() throws {
        for (left, right) in [([2, 3], [3, 2]), ([2, 3], [4]), ([0, 3], [2, 3])] as [(Shape, Shape)] {
            expectRefusal(as: { _ = try BroadcastLayout(left, right) }, "\(left) with \(right)") {
                _ = try reference.binary(reference.filled(left, value: 1), reference.filled(right, value: 1), .add)
            }
        }
        let x = try reference.filled([2, 3], value: 1), row = try reference.filled([3], value: 1)
        #expect(throws: GlassboxError.self) { try reference.axpy(alpha: 1, x, row) }
        #expect(throws: GlassboxError.self) { try reference.stabilizedDivide(x, row, epsilon: 0) }
    }
}
