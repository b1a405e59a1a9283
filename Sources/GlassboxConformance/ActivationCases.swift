import Foundation
import GlassboxCore

extension BackendOperation {
    /// Each kind with its label and whether it is also run on the `edgeValues` and
    /// `hugeValues` (the kinds whose every backend keeps NaN and infinities as their
    /// definitions do).
    private static let activationKinds: [(kind: ActivationKind, label: String, edges: Bool)] = [
        (.relu, "relu", false), (.leakyReLU(slope: 0.01), "leaky-relu 0.01", false),
        (.leakyReLU(slope: 0.25), "leaky-relu 0.25", false), (.leakyReLU(slope: -0.5), "leaky-relu -0.5", false),
        (.sigmoid, "sigmoid", false), (.tanh, "tanh", false), (.erf, "erf", true),
        (.hardSigmoid(alpha: 0.2, beta: 0.5), "hard-sigmoid 0.2 0.5", true),
        (.hardSigmoid(alpha: 1 / 6, beta: 0.5), "hard-sigmoid 1/6 0.5", true),
        (.hardSigmoid(alpha: -0.5, beta: 0.25), "hard-sigmoid -0.5 0.25", true), (.hardSwish, "hard-swish", true),
        (.gelu(tanhApproximation: false), "gelu", true), (.gelu(tanhApproximation: true), "gelu tanh", true),
    ]
    private static let activationShapes = [[1], [65], [3, 1397]]
    /// Signed zeros, tiny values, and magnitudes where exp overflows (a sigmoid written
    /// as eˣ/(1 + eˣ) would give NaN).
    private static let specialValues: [Float] = [0, -0.0, 1e-30, -1e-30, 30, -30, 88, -88, 100, -100, 1e4, -1e4]
    /// NaN, the infinities, the kinks of hard-swish (±3) with their float neighbours, those
    /// of hard-sigmoid with alpha 0.2 (±2.5), 1/6 (±3) and −0.5 (0.5), and a few ordinary
    /// values. (Infinities and NaN do not set the scale of the normalised error.)
    private static let edgeValues: [Float] = [
        .nan, .infinity, -.infinity, 3, -3, Float(3).nextUp, Float(3).nextDown, Float(-3).nextUp,
        Float(-3).nextDown, 2.5, -2.5, 0.5, -0.5, 1, -1, 0, -0.0,
    ]
    /// Finite magnitudes where x² or x³ overflows float32 (the GELUs' density and cubic).
    private static let hugeValues: [Float] = [1e13, -1e13, 1e20, -1e20, 3e38, -3e38]

    /// Every kind on random inputs in [−8, 8) that include exact zeros, of each shape, and
    /// on the special values (and the edge values where the kind says so): the case's name
    /// (the operation, the kind, the input), its input, and the generator seeded by the
    /// name, for further values.
    private static func activationInputs(_ operation: BackendOperation)
        -> [(kind: ActivationKind, name: String, input: HostTensor, random: SplitMix64)]
    {
        activationKinds.flatMap { kind, label, edges in
            let special: [(String, [Float])] =
                [("of special values", specialValues)]
                + (edges ? [("of edge values", edgeValues), ("of huge values", hugeValues)] : [])
            let inputs: [(String, [Int], [Float]?)] =
                activationShapes.map { (Shape($0).label, $0, nil) } + special.map { ($0, [$1.count], $1) }
            return inputs.map { suffix, dimensions, values in
                let name = "\(operation) \(label) \(suffix)"
                var random = SplitMix64(name: name)
                let input = HostTensor(
                    dimensions, values ?? random.floats(Shape(dimensions).count, -8, 8, zeroEvery: 11))
                return (kind, name, input, random)
            }
        }
    }

    /// Every kind on inputs in [−8, 8) that include exact zeros, and on the special values.
    static func activationCases() -> [ConformanceCase] {
        activationInputs(.activation).map { kind, name, input, _ in
            .single(name, .activation, shape: input.shape.dimensions) { backend in
                try backend.activation(try backend.upload(input), kind)
            }
        }
    }

    /// Every kind, given an output consistent with its input.
    static func activationBackwardCases() -> [ConformanceCase] {
        activationInputs(.activationBackward).map { kind, name, input, random in
            var random = random
            let gradient = HostTensor(input.shape.dimensions, random.floats(input.values.count))
            return .single(name, .activationBackward, shape: input.shape.dimensions) { backend in
                let x = try backend.upload(input)
                return try backend.activationBackward(
                    try backend.upload(gradient), input: x,
                    output: try backend.activation(x, kind), kind: kind)
            }
        }
    }

    /// Every mode, on gradients and inputs that include exact zeros.
    static func reluBackwardCases() -> [ConformanceCase] {
        ReLUBackwardMode.allCases.flatMap { mode in
            activationShapes.map { dimensions in
                let name = "reluBackward \(mode.rawValue) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let count = Shape(dimensions).count
                let gradient = HostTensor(dimensions, random.floats(count, -1, 1, zeroEvery: 13))
                let input = HostTensor(dimensions, random.floats(count, -1, 1, zeroEvery: 7))
                return .single(name, .reluBackward, shape: dimensions) { backend in
                    try backend.reluBackward(try backend.upload(gradient), input: try backend.upload(input), mode: mode)
                }
            }
        }
    }
}
