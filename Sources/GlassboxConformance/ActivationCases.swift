import Foundation
import GlassboxCore

extension ConformanceSuite {
    private static let activationKinds: [(kind: ActivationKind, label: String)] = [
        (.relu, "relu"), (.leakyReLU(slope: 0.01), "leaky-relu 0.01"), (.leakyReLU(slope: 0.25), "leaky-relu 0.25"),
        (.sigmoid, "sigmoid"), (.tanh, "tanh"),
    ]

    /// `activation` and `activationBackward` for every kind, and `reluBackward` in every
    /// mode, on inputs in [−8, 8) that include exact zeros.
    static func activationCases() -> [ConformanceCase] {
        let shapes = [[1], [65], [3, 1397]]
        var forward: [ConformanceCase] = [], backward: [ConformanceCase] = [], relu: [ConformanceCase] = []
        for (kind, label) in activationKinds {
            for dimensions in shapes {
                let name = "activation \(label) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, -8, 8, zeroEvery: 11))
                forward.append(.single(name, "activation", shape: dimensions) { backend in
                    try backend.activation(try backend.upload(input), kind)
                })
                let gradient = HostTensor(dimensions, random.floats(input.values.count))
                let output = HostTensor(dimensions, input.values.map { activate($0, kind) })
                backward.append(.single("activation backward \(label) \(Shape(dimensions).label)", "activationBackward",
                                        shape: dimensions) { backend in
                    try backend.activationBackward(try backend.upload(gradient), input: try backend.upload(input),
                                                   output: try backend.upload(output), kind: kind)
                })
            }
        }
        for mode in ReLUBackwardMode.allCases {
            for dimensions in shapes {
                let name = "relu backward \(mode.rawValue) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let count = Shape(dimensions).count
                let gradient = HostTensor(dimensions, random.floats(count, -1, 1, zeroEvery: 13))
                let input = HostTensor(dimensions, random.floats(count, -1, 1, zeroEvery: 7))
                relu.append(.single(name, "reluBackward", shape: dimensions) { backend in
                    try backend.reluBackward(try backend.upload(gradient), input: try backend.upload(input), mode: mode)
                })
            }
        }
        return forward + backward + relu
    }

    /// The activation's output on the host, to hand `activationBackward` a consistent output.
    private static func activate(_ x: Float, _ kind: ActivationKind) -> Float {
        switch kind {
        case .relu: max(x, 0)
        case .leakyReLU(let slope): x > 0 ? x : slope * x
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .tanh: Foundation.tanh(x)
        }
    }
}
