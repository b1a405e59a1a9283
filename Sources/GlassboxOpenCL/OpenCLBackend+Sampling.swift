import GlassboxCore

extension OpenCLBackend {
    public func noisyBatch(_ input: Tensor, count: Int, standardDeviation: Float, stream: RandomStream) throws -> Tensor
    {
        let result = try makeOutput(try SamplingPlans.noisyBatchShape(input: input.shape, count: count))
        try launchPhilox(
            "kernel_noisy_batch", count: result.count, stream: stream,
            [.tensor(result), .tensor(input), .int(input.count), .int(result.count), .float(standardDeviation)])
        return result
    }

    public func interpolationBatch(_ input: Tensor, baseline: Tensor, alphas: [Float]) throws -> Tensor {
        let result = try makeOutput(
            try SamplingPlans.interpolationShape(
                input: input.shape, baseline: baseline.shape,
                steps: alphas.count))
        let factors = try upload(alphas, shape: [alphas.count])
        try launch(
            "kernel_interpolation_batch", count: result.count, .tensor(result), .tensor(input), .tensor(baseline),
            .tensor(factors), .int(input.count), .int(result.count))
        return result
    }

    public func occlusionBatch(
        _ input: Tensor, window: [Int], strides: [Int], baseline: Float,
        positions: Range<Int>
    ) throws -> Tensor {
        let plan = try OcclusionPlan(input: input.shape, window: window, strides: strides)
        let result = try makeOutput(try plan.batchShape(positions: positions))
        try launch(
            "kernel_occlusion_batch", count: result.count, .tensor(result), .tensor(input), .int(input.count),
            .int(result.count), .float(baseline), .int(positions.lowerBound), .int(plan.sampleShape.rank),
            .int8(plan.sampleShape.dimensions), .int8(plan.counts), .int8(plan.strides), .int8(plan.window))
        return result
    }

    public func maskedBatch(_ input: Tensor, features: Tensor, fill: Tensor, masks: Tensor) throws -> Tensor {
        let result = try makeOutput(
            try PerturbationPlans.maskedBatchShape(
                input: input.shape, features: features.shape, fill: fill.shape, masks: masks.shape))
        try launch(
            "kernel_masked_batch", count: result.count, .tensor(result), .tensor(input), .tensor(features),
            .tensor(fill), .tensor(masks), .int(input.count), .int(fill.shape[0]), .int(masks.shape[1]),
            .int(result.count))
        return result
    }

    public func packRows(_ x: Tensor, removing value: Float, padding: Float) throws -> Tensor {
        let length = try PerturbationPlans.packedRowLength(x.shape)
        let result = try makeOutput(x.shape)
        let rows = length == 0 ? 0 : x.count / length
        try launch(
            "kernel_pack_rows", count: rows, .tensor(result), .tensor(x), .int(length), .int(rows), .float(value),
            .float(padding))
        return result
    }

    public func riseMasks(
        height: Int, width: Int, cells: Int, probability: Float, stream: RandomStream, samples: Range<Int>
    ) throws -> Tensor {
        let plan = try RISEMaskPlan(
            height: height, width: width, cells: cells, probability: probability, samples: samples)
        // Every mask's draws in one fill, mask n's from n·drawsPerMask on.
        let draws = try randomUniform([samples.count * plan.drawsPerMask], stream: plan.draws(of: stream))
        let result = try makeOutput(plan.shape)
        try launch(
            "kernel_rise_masks", count: result.count, .tensor(result), .tensor(draws), .int(height), .int(width),
            .int(cells), .float(probability), .int(plan.cellHeight), .int(plan.cellWidth), .int(result.count))
        return result
    }

    public func sampleStatistics(_ batch: Tensor) throws -> SampleStatistics {
        let shape = try SamplingPlans.statisticsShape(batch: batch.shape)
        let size = batch.shape.stride(of: 0)
        let mean = try makeOutput(shape)
        let deviations = try makeOutput(shape)
        try launch(
            "kernel_sample_statistics", count: size, .tensor(mean), .tensor(deviations), .tensor(batch),
            .int(size), .int(batch.count))
        return SampleStatistics(count: batch.shape[0], mean: mean, sumOfSquaredDeviations: deviations)
    }
}
