import GlassboxCore

extension ConformanceSuite {
    /// Pooling geometries (NCHW input, window): padding on some or all sides, dilation,
    /// rectangular windows, and windows lying wholly in the padding.
    private static let poolings: [(input: [Int], window: Window2D)] = [
        ([1, 1, 1, 1], Window2D(kernel: 1)),
        ([2, 3, 8, 8], Window2D(kernel: 2, stride: 2)),
        ([1, 4, 7, 7], Window2D(kernel: 3, stride: 2, padding: 1)),
        ([2, 2, 9, 11], Window2D(kernelHeight: 3, kernelWidth: 3, padTop: 0, padLeft: 1, padBottom: 1, padRight: 0)),
        ([1, 3, 33, 33], Window2D(kernel: 5, stride: 3, padding: 2)),
        ([1, 2, 13, 13], Window2D(kernel: 3, stride: 2, padding: 2, dilation: 2)),
        ([1, 1, 65, 127], Window2D(kernelHeight: 2, kernelWidth: 3, strideHeight: 2, strideWidth: 3)),
        ([1, 2, 7, 7], Window2D(kernel: 2, stride: 3, padding: 2)),
    ]

    private static let poolingKinds: [(kind: PoolingKind, label: String)] = [
        (.max, "max"),
        (.average(countIncludePadding: true), "average counting padding"),
        (.average(countIncludePadding: false), "average not counting padding"),
    ]

    /// `pool2d` and `pool2dBackward` for every kind on every geometry; max pooling also
    /// on inputs full of ties (the first maximal input wins); and `pool2dBackward`
    /// through a ReLU gate, each geometry with one ReLU backward mode, in turn.
    static func poolingCases() -> [ConformanceCase] {
        var cases: [ConformanceCase] = []
        for backward in [false, true] {
            for (kind, kindLabel) in poolingKinds {
                for (index, pooling) in poolings.enumerated() {
                    cases.append(poolingCase(pooling.input, pooling.window, kind, kindLabel, backward: backward, ties: false))
                    if kind == .max, index == 2 || index == 3 {
                        cases.append(poolingCase(pooling.input, pooling.window, kind, kindLabel, backward: backward, ties: true))
                    }
                }
            }
        }
        for (kind, kindLabel) in poolingKinds {
            for (index, pooling) in poolings.enumerated() {
                let mode = ReLUBackwardMode.allCases[index % ReLUBackwardMode.allCases.count]
                cases.append(poolingCase(pooling.input, pooling.window, kind, kindLabel, backward: true, ties: false, gate: mode))
            }
        }
        return cases
    }

    private static func poolingCase(_ inputShape: [Int], _ window: Window2D, _ kind: PoolingKind, _ kindLabel: String,
                                     backward: Bool, ties: Bool, gate: ReLUBackwardMode? = nil) -> ConformanceCase {
        let output = window.outputShape(inputShape, channels: inputShape[1])
        let name = "pool2d\(backward ? " backward" : "") \(kindLabel) \(Shape(inputShape).label) \(window.label)"
            + (ties ? " with ties" : "") + (gate.map { " through a \($0.rawValue) ReLU" } ?? "")
        var random = SplitMix64(name: name)
        let count = Shape(inputShape).count
        let input = HostTensor(inputShape, ties ? random.ties(count) : kind == .max ? random.distinct(count) : random.floats(count))
        guard backward else {
            return .single(name, "pool2d", shape: output) { backend in
                try backend.pool2d(try backend.upload(input), kind: kind, window: window)
            }
        }
        let gradient = HostTensor(output, random.floats(Shape(output).count))
        guard let gate else {
            return .single(name, "pool2dBackward", shape: inputShape) { backend in
                try backend.pool2dBackward(try backend.upload(gradient), input: try backend.upload(input), kind: kind, window: window)
            }
        }
        let reluInput = HostTensor(inputShape, random.floats(count))
        return .single(name, "pool2dBackward", shape: inputShape) { backend in
            try backend.pool2dBackward(try backend.upload(gradient), input: try backend.upload(input), kind: kind, window: window,
                                       through: ReLUBackwardGate(input: try backend.upload(reluInput), mode: gate))
        }
    }
}
