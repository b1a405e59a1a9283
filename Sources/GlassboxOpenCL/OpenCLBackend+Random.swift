import GlassboxCore

extension OpenCLBackend {
    public func randomUniform(_ shape: Shape, stream: RandomStream) throws -> Tensor {
        let result = try makeOutput(shape)
        try launchPhilox(
            "kernel_random_uniform", count: shape.count, stream: stream, [.tensor(result), .int(shape.count)])
        return result
    }

    public func randomNormal(_ shape: Shape, mean: Float, standardDeviation: Float, stream: RandomStream) throws
        -> Tensor
    {
        let result = try makeOutput(shape)
        try launchPhilox(
            "kernel_random_normal", count: shape.count, stream: stream,
            [.tensor(result), .int(shape.count), .float(mean), .float(standardDeviation)])
        return result
    }

    public func dropoutMask(_ shape: Shape, probability: Float, stream: RandomStream) throws -> Tensor {
        let keep = try SamplingPlans.dropoutKeepScale(probability: probability)
        let result = try makeOutput(shape)
        try launchPhilox(
            "kernel_dropout_mask", count: shape.count, stream: stream,
            [.tensor(result), .int(shape.count), .float(probability), .float(keep)])
        return result
    }

    /// Enqueues a Philox fill kernel of `Kernels/random.cl` that writes draws
    /// `stream.offset + i` to elements `i < count`: one work item per Philox block
    /// touched, and the stream's seed, number and offset appended to `arguments`.
    func launchPhilox(_ kernel: String, count: Int, stream: RandomStream, _ arguments: [Argument]) throws {
        guard count > 0 else { return }
        let blocks = (Int(stream.offset & 3) + count + 3) / 4
        try launch(
            kernel, global: [blocks], local: nil,
            arguments + [.ulong(stream.seed), .uint(stream.stream), .ulong(stream.offset)])
    }
}
