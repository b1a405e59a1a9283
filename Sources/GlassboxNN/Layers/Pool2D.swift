import GlassboxCore

/// Max or average pooling over 2-D windows (PyTorch `MaxPool2d`/`AvgPool2d`, ONNX `MaxPool`/`AveragePool`).
public struct Pool2D: PoolingLayer, Hashable {
    public static let typeName = "pool2d"
    public var kind: PoolingKind
    public var window: Window2D

    public init(_ kind: PoolingKind, window: Window2D) {
        self.kind = kind
        self.window = window
    }

    /// ``kind``: max or average.
    public var pooling: PoolingKind { kind }

    /// Max pooling with a square window whose stride defaults to its size.
    public static func max(_ size: Int, stride: Int? = nil, padding: Int = 0) -> Pool2D {
        Pool2D(.max, window: Window2D(kernel: size, stride: stride ?? size, padding: padding))
    }

    /// Average pooling with a square window whose stride defaults to its size.
    public static func average(_ size: Int, stride: Int? = nil, padding: Int = 0, countIncludePadding: Bool = true)
        -> Pool2D
    {
        Pool2D(
            .average(countIncludePadding: countIncludePadding),
            window: Window2D(kernel: size, stride: stride ?? size, padding: padding))
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "pool2d")
        guard input.rank == 4 else { throw GlassboxError.shapeMismatch("pool2d expects N×C×H×W, got \(input)") }
        try window.validate(inputHeight: input[2], inputWidth: input[3])
        let (height, width) = window.outputSize(inputHeight: input[2], inputWidth: input[3])
        return [input[0], input[1], height, width]
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(try context.backend.pool2d(inputs[0], kind: kind, window: window))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [
            try step.backend.pool2dBackward(step.gradient, input: step.inputs[0], kind: kind, window: window)
        ])
    }
}

extension Pool2D: ReLUGatedLayer {
    public func backward(_ step: BackwardStep, through gate: ReLUBackwardGate) throws -> LayerGradients {
        LayerGradients(inputs: [
            try step.backend.pool2dBackward(
                step.gradient, input: step.inputs[0], kind: kind, window: window,
                through: gate)
        ])
    }
}
