/// The fused operations as the compositions they stand for: the reference every
/// fused kernel is tested against, and the implementation of backends without one.
extension Backend {
    public func conv2d(_ batch: NoisyBatch, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws
        -> Tensor
    {
        try conv2d(try batch.materialized(), weight: weight, bias: bias, window: window, groups: groups)
    }

    public func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D, groups: Int,
        through gate: ReLUBackwardGate
    ) throws -> Tensor {
        try gate.check(inputShape)
        let gradient = try conv2dBackwardData(
            gradOutput, weight: weight, inputShape: inputShape, window: window, groups: groups)
        return try reluBackward(gradient, input: gate.input, mode: gate.mode)
    }

    public func pool2dBackward(
        _ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D,
        through gate: ReLUBackwardGate
    ) throws -> Tensor {
        try gate.check(input.shape)
        let gradient = try pool2dBackward(gradOutput, input: input, kind: kind, window: window)
        return try reluBackward(gradient, input: gate.input, mode: gate.mode)
    }

    public func conv2dBackwardDataStatistics(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D,
        groups: Int, absolute: Bool
    ) throws -> SampleStatistics {
        let gradient = try conv2dBackwardData(
            gradOutput, weight: weight, inputShape: inputShape, window: window, groups: groups)
        return try sampleStatistics(gradient, absolute: absolute)
    }

    /// The ``sampleStatistics(_:)`` of `batch`, or of its absolute value when `absolute`.
    public func sampleStatistics(_ batch: Tensor, absolute: Bool) throws -> SampleStatistics {
        try sampleStatistics(absolute ? try unary(batch, .abs) : batch)
    }
}
