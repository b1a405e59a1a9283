import Foundation
import GlassboxCore

extension BackendOperation {
    private static let activationKinds: [(kind: ActivationKind, label: String)] = [
        (.relu, "relu"), (.leakyReLU(slope: 0.01), "leaky-relu 0.01"), (.leakyReLU(slope: 0.25), "leaky-relu 0.25"),
        (.leakyReLU(slope: -0.5), "leaky-relu -0.5"), (.sigmoid, "sigmoid"), (.tanh, "tanh"),
    ]
    private static let activationShapes = [[1], [65], [3, 1397]]
    /// Signed zeros, tiny values, and magnitudes where exp overflows (a sigmoid written
    /// as eˣ/(1 + eˣ) would give NaN).
    private static let specialValues: [Float] = [0, -0.0, 1e-30, -1e-30, 30, -30, 88, -88, 100, -100, 1e4, -1e4]

    /// Every kind on random inputs in [−8, 8) that include exact zeros, of each shape, and
    /// on the special values: the case's name (the operation, the kind, the input), its
    /// input, and the generator seeded by the name, for further values.
    private static func activationInputs(_ operation: BackendOperation)
        -> [(kind: ActivationKind, name: String, input: HostTensor, random: SplitMix64)]
    {
        activationKinds.flatMap { kind, label in
            (activationShapes + [[]]).map { dimensions in
                let name =
                    "\(operation) \(label) " + (dimensions.isEmpty ? "of special values" : Shape(dimensions).label)
                var random = SplitMix64(name: name)
                let input =
                    dimensions.isEmpty
                    ? HostTensor([specialValues.count], specialValues)
                    : HostTensor(dimensions, random.floats(Shape(dimensions).count, -8, 8, zeroEvery: 11))
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
