import GlassboxCore

extension OpenCLBackend {
    public func softmax(_ x: Tensor, axis: Int, logarithm: Bool) throws -> Tensor {
        let lanes = try AxisLanes(x.shape, axis: axis)
        let result = try makeOutput(x.shape)
        try launch(
            "kernel_softmax", count: lanes.outer * lanes.inner, .tensor(x), .tensor(result), .int(lanes.outer),
            .int(lanes.extent), .int(lanes.inner), .int(logarithm ? 1 : 0))
        return result
    }

    public func softmaxBackward(_ gradOutput: Tensor, output: Tensor, axis: Int, logarithm: Bool) throws -> Tensor {
        guard gradOutput.shape == output.shape else {
            throw GlassboxError.shapeMismatch("softmax gradient \(gradOutput.shape) for output \(output.shape)")
        }
        let lanes = try AxisLanes(output.shape, axis: axis)
        let result = try makeOutput(output.shape)
        try launch(
            "kernel_softmax_backward", count: lanes.outer * lanes.inner, .tensor(gradOutput), .tensor(output),
            .tensor(result), .int(lanes.outer), .int(lanes.extent), .int(lanes.inner), .int(logarithm ? 1 : 0))
        return result
    }
}
