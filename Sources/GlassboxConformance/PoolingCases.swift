import GlassboxCore

extension BackendOperation {
    /// Pooling geometries (NCHW input, window): padding on some or all sides, dilation,
    /// rectangular windows, and windows lying wholly in the padding.
    static let poolings: [(input: [Int], window: Window2D)] = [
        ([1, 1, 1, 1], Window2D(kernel: 1)),
        ([2, 3, 8, 8], Window2D(kernel: 2, stride: 2)),
        ([1, 4, 7, 7], Window2D(kernel: 3, stride: 2, padding: 1)),
        ([2, 2, 9, 11], Window2D(kernelHeight: 3, kernelWidth: 3, padTop: 0, padLeft: 1, padBottom: 1, padRight: 0)),
        ([2, 2, 9, 11], Window2D(kernelHeight: 3, kernelWidth: 3, padTop: 0, padLeft: 1, padBottom: 2, padRight: 0)),
        ([1, 3, 33, 33], Window2D(kernel: 5, stride: 3, padding: 2)),
        ([1, 2, 13, 13], Window2D(kernel: 3, stride: 2, padding: 2, dilation: 2)),
        ([1, 1, 65, 127], Window2D(kernelHeight: 2, kernelWidth: 3, strideHeight: 2, strideWidth: 3)),
        ([1, 2, 7, 7], Window2D(kernel: 2, stride: 3, padding: 2)),
        (
            [1, 2, 7, 5],
            Window2D(
                kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                padTop: 1, padLeft: 0, padBottom: 1, padRight: 1)
        ),
        ([2, 1, 9, 7], Window2D(kernel: 3, stride: 1, padding: 1, dilation: 2)),
        (
            [1, 3, 5, 9],
            Window2D(
                kernelHeight: 2, kernelWidth: 3, strideHeight: 1, strideWidth: 2,
                padTop: 0, padLeft: 1, padBottom: 1, padRight: 0)
        ),
        ([1, 1, 3, 3], Window2D(kernel: 3, stride: 1, padding: 1)),
    ]

    private static let poolingKinds: [(kind: PoolingKind, label: String)] = [
        (.max, "max"),
        (.average(countIncludePadding: true), "average counting padding"),
        (.average(countIncludePadding: false), "average not counting padding"),
    ]

    /// Every kind on every geometry; max pooling also on inputs full of ties (the first
    /// maximal input wins); every kind on inputs with NaNs (a NaN wins a max window only
    /// as its first tap inside the image); and the shapes every backend refuses.
    static func pool2dCases() -> [ConformanceCase] {
        poolingCases(backward: false) + poolingRejections(backward: false)
    }

    static func pool2dBackwardCases() -> [ConformanceCase] {
        poolingCases(backward: true) + poolingRejections(backward: true)
    }

    /// Every kind on every geometry, each geometry through a ReLU of one backward mode, in turn.
    static func gatedPool2dBackwardCases() -> [ConformanceCase] {
        poolingKinds.flatMap { kind, kindLabel in
            poolings.enumerated().map { index, pooling in
                let mode = ReLUBackwardMode.allCases[index % ReLUBackwardMode.allCases.count]
                return poolingCase(
                    pooling.input, pooling.window, kind, kindLabel, backward: true, ties: false, gate: mode)
            }
        }
    }

    private static func poolingCases(backward: Bool) -> [ConformanceCase] {
        poolingKinds.flatMap { kind, kindLabel in
            poolings.enumerated().flatMap { index, pooling in
                [poolingCase(pooling.input, pooling.window, kind, kindLabel, backward: backward, ties: false)]
                    + (kind == .max && (2...4).contains(index)
                        ? [poolingCase(pooling.input, pooling.window, kind, kindLabel, backward: backward, ties: true)]
                        : [])
            }
        }
            + poolingKinds.flatMap { kind, kindLabel in
                // Every fifth input NaN: first taps of some windows, later taps of others.
                [
                    ([1, 2, 6, 6], Window2D(kernel: 2, stride: 2)),
                    ([1, 1, 5, 5], Window2D(kernel: 3, stride: 1, padding: 1)),
                ].map {
                    poolingCase($0.0, $0.1, kind, kindLabel, backward: backward, ties: false, nans: true)
                }
            }
    }

    private static func poolingCase(
        _ inputShape: [Int], _ window: Window2D, _ kind: PoolingKind, _ kindLabel: String,
        backward: Bool, ties: Bool, nans: Bool = false, gate: ReLUBackwardMode? = nil
    ) -> ConformanceCase {
        let output = window.outputShape(inputShape, channels: inputShape[1])
        let operation: BackendOperation = gate != nil ? .gatedPool2dBackward : backward ? .pool2dBackward : .pool2d
        let name =
            "\(operation) \(kindLabel) \(Shape(inputShape).label) \(window.label)"
            + (ties ? " with ties" : "") + (nans ? " with NaNs" : "")
            + (gate.map { " through a \($0.rawValue) ReLU" } ?? "")
        var random = SplitMix64(name: name)
        let count = Shape(inputShape).count
        let values =
            ties
            ? random.ties(count)
            : kind == .max || nans ? random.distinctFloats(count, spacing: 1.0 / 64) : random.floats(count)
        let input = HostTensor(
            inputShape, nans ? values.enumerated().map { $0.offset % 5 == 0 ? .nan : $0.element } : values)
        guard backward else {
            return .single(name, operation, shape: output) { backend in
                try backend.pool2d(try backend.upload(input), kind: kind, window: window)
            }
        }
        let gradient = HostTensor(output, random.floats(Shape(output).count))
        guard let gate else {
            return .single(name, operation, shape: inputShape) { backend in
                try backend.pool2dBackward(
                    try backend.upload(gradient), input: try backend.upload(input), kind: kind, window: window)
            }
        }
        let reluInput = HostTensor(inputShape, random.floats(count))
        return .single(name, operation, shape: inputShape) { backend in
            try backend.pool2dBackward(
                try backend.upload(gradient), input: try backend.upload(input), kind: kind, window: window,
                through: ReLUBackwardGate(input: try backend.upload(reluInput), mode: gate))
        }
    }

    /// A rank-3 input, a window larger than the padded input, a zero stride, and (backward)
    /// an output gradient of the wrong shape.
    private static func poolingRejections(backward: Bool) -> [ConformanceCase] {
        let refused: [([Int], Window2D, [Int])] =
            [
                ([2, 5, 5], Window2D(kernel: 2), [1, 2, 4, 4]), ([1, 2, 1, 5], Window2D(kernel: 2), [1, 2, 4, 4]),
                ([1, 2, 5, 5], Window2D(kernel: 2, stride: 0), [1, 2, 4, 4]),
            ] + (backward ? [([1, 2, 5, 5], Window2D(kernel: 2), [1, 2, 4, 5])] : [])
        return refused.map { input, window, gradient in
            let operation: BackendOperation = backward ? .pool2dBackward : .pool2d
            let name =
                "\(operation) refuses input \(Shape(input).label) with \(window.label)"
                + (backward ? ", output gradient \(Shape(gradient).label)" : "")
            return .rejection(name, operation) { backend in
                let x = try backend.filled(Shape(input), value: 1)
                if backward {
                    _ = try backend.pool2dBackward(
                        backend.filled(Shape(gradient), value: 1), input: x, kind: .max, window: window)
                } else {
                    _ = try backend.pool2d(x, kind: .max, window: window)
                }
            }
        }
    }
}
