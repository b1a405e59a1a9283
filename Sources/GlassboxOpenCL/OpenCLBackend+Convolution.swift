import GlassboxCore

/// Convolution as im2col / col2im kernels around the batched `enqueueGEMM`:
/// the column matrices of a chunk of samples are built in one buffer and every
/// (sample, group) product of the chunk runs in one launch, addressed by offsets.
extension OpenCLBackend {
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weight.shape, window: window, groups: groups)
        return try convolve(plan, weight: weight, bias: bias) { samples, columns in
            try enqueueIm2col(input, plan, samples: samples, into: columns)
        }
    }

    /// The convolution of noisy copies with the noise drawn as the patches are unfolded
    /// (`kernel_conv2d_im2col_noisy`, once per element of the copies): the copies are never stored.
    public func conv2d(_ batch: NoisyBatch, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws
        -> Tensor
    {
        let plan = try ConvolutionPlan(input: batch.shape, weight: weight.shape, window: window, groups: groups)
        let size = batch.input.count
        let padded = window.padTop > 0 || window.padLeft > 0 || window.padBottom > 0 || window.padRight > 0
        return try convolve(plan, weight: weight, bias: bias) { samples, columns in
            if padded {
                try launch("kernel_fill", count: columns.count, .tensor(columns), .float(0), .int(columns.count))
            }
            let count = samples.count * size
            try launch(
                "kernel_conv2d_im2col_noisy", global: [count], local: nil,
                [
                    .tensor(batch.input), .int(size), .int(samples.lowerBound), .float(batch.standardDeviation),
                    .tensor(columns), .int(count),
                ]
                    + window.kernelArguments(height: plan.height, width: plan.width)
                    + [.ulong(batch.stream.seed), .uint(batch.stream.stream), .ulong(batch.stream.offset)])
        }
    }

    /// The forward convolution of `plan` whose column matrices `unfold` writes for each chunk of samples.
    private func convolve(
        _ plan: ConvolutionPlan, weight: Tensor, bias: Tensor?,
        unfold: (Range<Int>, Tensor) throws -> Void
    ) throws -> Tensor {
        if let bias { try plan.checkBias(bias.shape) }
        try checkIndexable(plan.inputShape, plan.outputShape)
        let result = try makeOutput(plan.outputShape)
        try forEachColumnChunk(plan) { samples, columns in
            try unfold(samples, columns)
            try enqueueGEMM(
                m: plan.outputsPerGroup, n: plan.outputPixels, k: plan.patchSize,
                a: plan.groupWeights(weight), b: MatrixBatch(columns, stride: plan.columnCount),
                into: MatrixBatch(
                    result, offset: samples.lowerBound * plan.outputChannels * plan.outputPixels,
                    stride: plan.outputsPerGroup * plan.outputPixels),
                alpha: 1, beta: 0, count: samples.count * plan.groups)
        }
        if let bias {
            try launch(
                "kernel_conv2d_add_bias", count: result.count, .tensor(result), .tensor(bias), .int(result.count),
                .int(plan.outputChannels), .int(plan.outputPixels))
        }
        return result
    }

    public func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor {
        try backwardData(gradOutput, weight: weight, inputShape: inputShape, window: window, groups: groups, gate: nil)
    }

    public func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D, groups: Int,
        through gate: ReLUBackwardGate
    ) throws -> Tensor {
        try gate.check(inputShape)
        return try backwardData(
            gradOutput, weight: weight, inputShape: inputShape, window: window, groups: groups, gate: gate)
    }

    /// The input gradient, folded by `kernel_conv2d_col2im` through the ReLU `gate` when there is one.
    private func backwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D, groups: Int,
        gate: ReLUBackwardGate?
    ) throws -> Tensor {
        let plan = try ConvolutionPlan(input: inputShape, weight: weight.shape, window: window, groups: groups)
        let result = try makeOutput(inputShape)
        let sampleSize = plan.inputChannels * plan.height * plan.width
        try forEachGradientColumns(gradOutput, weight: weight, plan) { samples, columns in
            try launch(
                "kernel_conv2d_col2im", global: [samples.count * sampleSize], local: nil,
                [
                    .tensor(columns), .tensor(result), .int(samples.lowerBound * sampleSize),
                    .int(samples.count * sampleSize),
                ]
                    + gateArguments(gate, absent: result)
                    + window.kernelArguments(height: plan.height, width: plan.width))
        }
        return result
    }

    /// The statistics of the input gradients folded and reduced over the samples in one
    /// kernel (`kernel_conv2d_col2im_statistics`), chunk after chunk of column matrices.
    public func conv2dBackwardDataStatistics(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape, window: Window2D,
        groups: Int, absolute: Bool
    ) throws -> SampleStatistics {
        let plan = try ConvolutionPlan(input: inputShape, weight: weight.shape, window: window, groups: groups)
        let shape = try SamplingPlans.statisticsShape(batch: inputShape)
        let mean = try makeOutput(shape), deviations = try makeOutput(shape)
        try forEachGradientColumns(gradOutput, weight: weight, plan) { samples, columns in
            try launch(
                "kernel_conv2d_col2im_statistics", global: [shape.count], local: nil,
                [
                    .tensor(columns), .tensor(mean), .tensor(deviations), .int(shape.count), .int(samples.count),
                    .int(samples.lowerBound), .int(absolute ? 1 : 0),
                ]
                    + window.kernelArguments(height: plan.height, width: plan.width))
        }
        return SampleStatistics(count: plan.batch, mean: mean, sumOfSquaredDeviations: deviations)
    }

    /// Calls `fold` on consecutive chunks of samples with the column matrices of their
    /// input gradients, `weightᵀ · gradOutput` per (sample, group).
    private func forEachGradientColumns(
        _ gradOutput: Tensor, weight: Tensor, _ plan: ConvolutionPlan,
        fold: (Range<Int>, Tensor) throws -> Void
    ) throws {
        try plan.checkGradient(gradOutput.shape)
        try checkIndexable(plan.inputShape, plan.outputShape)
        try forEachColumnChunk(plan) { samples, columns in
            try enqueueGEMM(
                m: plan.patchSize, n: plan.outputPixels, k: plan.outputsPerGroup,
                a: plan.groupWeights(weight, transposed: true),
                b: MatrixBatch(
                    gradOutput, offset: samples.lowerBound * plan.outputChannels * plan.outputPixels,
                    stride: plan.outputsPerGroup * plan.outputPixels),
                into: MatrixBatch(columns, stride: plan.columnCount),
                alpha: 1, beta: 0, count: samples.count * plan.groups)
            try fold(samples, columns)
        }
    }

    public func conv2dBackwardFilter(
        _ gradOutput: Tensor, input: Tensor, weightShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weightShape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        try checkIndexable(input.shape, plan.outputShape, weightShape)
        guard plan.batch > 0 else { return try filled(weightShape, value: 0) }
        let result = try makeOutput(weightShape)
        try forEachColumnChunk(plan) { samples, columns in
            try enqueueIm2col(input, plan, samples: samples, into: columns)
            // One product per sample, adding onto the previous samples' sum in sample order.
            for (index, sample) in samples.enumerated() {
                try enqueueGEMM(
                    m: plan.outputsPerGroup, n: plan.patchSize, k: plan.outputPixels,
                    a: MatrixBatch(
                        gradOutput, offset: sample * plan.outputChannels * plan.outputPixels,
                        stride: plan.outputsPerGroup * plan.outputPixels),
                    b: MatrixBatch(
                        columns, offset: index * groups * plan.columnCount, stride: plan.columnCount,
                        transposed: true),
                    into: MatrixBatch(result, stride: plan.outputsPerGroup * plan.patchSize),
                    accumulator: result, alpha: 1, beta: sample == 0 ? 0 : 1, count: groups)
            }
        }
        return result
    }

    /// Calls `body` on consecutive ranges of samples with a column buffer that holds
    /// their im2col matrices (`groups·columnCount` floats per sample), as many samples
    /// at a time as fit an eighth of the device memory, the largest allocation and
    /// 32-bit indices; smaller ranges are retried when the device runs out of memory.
    private func forEachColumnChunk(_ plan: ConvolutionPlan, _ body: (Range<Int>, Tensor) throws -> Void) throws {
        let perSample = max(plan.groups * plan.columnCount, 1)
        let limit = min(device.maximumAllocation / MemoryLayout<Float>.size, Int(Int32.max)) / perSample
        let fitting = BatchChunking.samplesFitting(
            self, bytesPerSample: perSample * MemoryLayout<Float>.size, fraction: 0.125)
        try BatchChunking.forEachChunk(total: plan.batch, maximumChunk: max(1, min(limit, fitting))) { samples in
            try body(samples, try makeOutput([samples.count * perSample]))
        }
    }

    /// Enqueues `kernel_conv2d_im2col` for `samples` of `input` into `columns`.
    private func enqueueIm2col(_ input: Tensor, _ plan: ConvolutionPlan, samples: Range<Int>, into columns: Tensor)
        throws
    {
        let count = samples.count * plan.groups * plan.columnCount
        let sampleSize = plan.inputChannels * plan.height * plan.width
        try launch(
            "kernel_conv2d_im2col", global: [count], local: nil,
            [.tensor(input), .int(samples.lowerBound * sampleSize), .tensor(columns), .int(count)]
                + plan.window.kernelArguments(height: plan.height, width: plan.width))
    }
}

extension ConvolutionPlan {
    /// The weights of each group as the operand of a batch of (sample, group)
    /// products, sample-major: product z uses group z mod groups.
    func groupWeights(_ weight: Tensor, transposed: Bool = false) -> MatrixBatch {
        MatrixBatch(weight, stride: outputsPerGroup * patchSize, period: groups, transposed: transposed)
    }
}
