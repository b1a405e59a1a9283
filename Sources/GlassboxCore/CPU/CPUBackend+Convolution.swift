extension CPUBackend {
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weight.shape, window: window, groups: groups)
        let x = try storage(of: input), w = try storage(of: weight)
        let biasValues = try bias.map { tensor in
            try plan.checkBias(tensor.shape)
            return try storage(of: tensor)
        }
        let (result, y) = makeOutput(plan.outputShape)
        Parallel.forEachChunk(plan.batch, costPerItem: plan.multiplyAddsPerSample) { samples in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: plan.columnCount)
            defer { columns.deallocate() }
            for n in samples {
                for g in 0..<groups {
                    plan.im2col(x.baseAddress!, sample: n, group: g, into: columns)
                    let out = y.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels
                    GEMMKernel.multiply(rows: 0..<plan.outputsPerGroup, n: plan.outputPixels, k: plan.patchSize, alpha: 1,
                                        a: UnsafePointer(w.baseAddress! + g * plan.outputsPerGroup * plan.patchSize),
                                        aLayout: MatrixLayout(rows: plan.outputsPerGroup, columns: plan.patchSize, transposed: false),
                                        b: UnsafePointer(columns),
                                        bLayout: MatrixLayout(rows: plan.patchSize, columns: plan.outputPixels, transposed: false),
                                        c: out, ldc: plan.outputPixels)
                }
                if let biasValues {
                    for o in 0..<plan.outputChannels {
                        let out = y.baseAddress! + (n * plan.outputChannels + o) * plan.outputPixels
                        for p in 0..<plan.outputPixels { out[p] += biasValues[o] }
                    }
                }
            }
        }
        return result
    }

    public func conv2dBackwardData(_ gradOutput: Tensor, weight: Tensor, inputShape: Shape,
                                   window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: inputShape, weight: weight.shape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try storage(of: gradOutput), w = try storage(of: weight)
        let (result, dx) = makeOutput(inputShape)
        Parallel.forEachChunk(plan.batch, costPerItem: plan.multiplyAddsPerSample) { samples in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: plan.columnCount)
            defer { columns.deallocate() }
            for n in samples {
                for g in 0..<groups {
                    columns.initialize(repeating: 0, count: plan.columnCount)
                    GEMMKernel.multiply(rows: 0..<plan.patchSize, n: plan.outputPixels, k: plan.outputsPerGroup, alpha: 1,
                                        a: UnsafePointer(w.baseAddress! + g * plan.outputsPerGroup * plan.patchSize),
                                        aLayout: MatrixLayout(rows: plan.patchSize, columns: plan.outputsPerGroup, transposed: true),
                                        b: UnsafePointer(dy.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels),
                                        bLayout: MatrixLayout(rows: plan.outputsPerGroup, columns: plan.outputPixels, transposed: false),
                                        c: columns, ldc: plan.outputPixels)
                    plan.col2im(columns, sample: n, group: g, into: dx.baseAddress!)
                }
            }
        }
        return result
    }

    public func conv2dBackwardFilter(_ gradOutput: Tensor, input: Tensor, weightShape: Shape,
                                     window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weightShape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try storage(of: gradOutput), x = try storage(of: input)
        let (result, dw) = makeOutput(weightShape)
        // Threads own disjoint output channels, so no two write the same weights.
        Parallel.forEachChunk(plan.outputChannels, costPerItem: plan.batch * plan.patchSize * plan.outputPixels) { channels in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: plan.columnCount)
            defer { columns.deallocate() }
            let firstGroup = channels.lowerBound / plan.outputsPerGroup
            let lastGroup = (channels.upperBound - 1) / plan.outputsPerGroup
            for n in 0..<plan.batch {
                for g in firstGroup...lastGroup {
                    let groupChannels = (g * plan.outputsPerGroup)..<((g + 1) * plan.outputsPerGroup)
                    let rows = channels.clamped(to: groupChannels)
                    plan.im2col(x.baseAddress!, sample: n, group: g, into: columns)
                    GEMMKernel.multiply(rows: (rows.lowerBound - groupChannels.lowerBound)..<(rows.upperBound - groupChannels.lowerBound),
                                        n: plan.patchSize, k: plan.outputPixels, alpha: 1,
                                        a: UnsafePointer(dy.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels),
                                        aLayout: MatrixLayout(rows: plan.outputsPerGroup, columns: plan.outputPixels, transposed: false),
                                        b: UnsafePointer(columns),
                                        bLayout: MatrixLayout(rows: plan.outputPixels, columns: plan.patchSize, transposed: true),
                                        c: dw.baseAddress! + g * plan.outputsPerGroup * plan.patchSize, ldc: plan.patchSize)
                }
            }
        }
        return result
    }
}

/// The im2col and col2im maps of the CPU backend.
extension ConvolutionPlan {
    /// Visits the patch matrix of one sample and group as runs along output rows:
    /// `count` consecutive columns from `column` read the input from `input` on in
    /// steps of `step` elements, or are padding (`input` nil). Runs split where a
    /// row of taps enters and leaves the image, so a body copies or zeroes whole runs.
    @inline(__always)
    private func forEachRun(sample n: Int, group g: Int,
                            _ body: (_ column: Int, _ input: Int?, _ count: Int, _ step: Int) -> Void) {
        var row = 0
        let step = window.strideWidth
        for c in 0..<channelsPerGroup {
            let channelBase = (n * inputChannels + g * channelsPerGroup + c) * height * width
            for ki in 0..<window.kernelHeight {
                for kj in 0..<window.kernelWidth {
                    let shift = kj * window.dilationWidth - window.padLeft
                    // Output columns ow with 0 ≤ ow·step + shift < width.
                    let first = min(outputWidth, max(0, (-shift + step - 1) / step))
                    let last = min(outputWidth, max(first, (width - shift + step - 1) / step))
                    for oh in 0..<outputHeight {
                        let ih = oh * window.strideHeight - window.padTop + ki * window.dilationHeight
                        let column = row * outputPixels + oh * outputWidth
                        guard ih >= 0 && ih < height else {
                            body(column, nil, outputWidth, step)
                            continue
                        }
                        if first > 0 { body(column, nil, first, step) }
                        if last > first { body(column + first, channelBase + ih * width + first * step + shift, last - first, step) }
                        if last < outputWidth { body(column + last, nil, outputWidth - last, step) }
                    }
                    row += 1
                }
            }
        }
    }

    /// Unfolds the input patches of one sample and group into a patchSize × outputPixels matrix.
    func im2col(_ input: UnsafeMutablePointer<Float>, sample: Int, group: Int, into columns: UnsafeMutablePointer<Float>) {
        forEachRun(sample: sample, group: group) { column, offset, count, step in
            guard let offset else {
                (columns + column).update(repeating: 0, count: count)
                return
            }
            if step == 1 {
                (columns + column).update(from: input + offset, count: count)
            } else {
                for index in 0..<count { columns[column + index] = input[offset + index * step] }
            }
        }
    }

    /// Adds a patchSize × outputPixels matrix back onto the input positions it came from.
    func col2im(_ columns: UnsafeMutablePointer<Float>, sample: Int, group: Int, into input: UnsafeMutablePointer<Float>) {
        forEachRun(sample: sample, group: group) { column, offset, count, step in
            guard let offset else { return }
            for index in 0..<count { input[offset + index * step] += columns[column + index] }
        }
    }
}
