import GlassboxFMAKernels

extension CPUBackend {
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weight.shape, window: window, groups: groups)
        let x = try storage(of: input), w = try storage(of: weight)
        let biasValues = try bias.map { tensor in
            try plan.checkBias(tensor.shape)
            return try storage(of: tensor)
        }
        let (result, y) = makeOutput(plan.outputShape)
        convolve(plan, input: x.baseAddress!, weight: w.baseAddress!, bias: biasValues?.baseAddress, into: y.baseAddress!)
        return result
    }

    /// A stride-1 convolution's input gradient is itself a convolution of the output
    /// gradient (``ConvolutionPlan/backwardDataWindow``), which packs its patches
    /// straight from the gradient; strided ones scatter Wᵀ·dY back with col2im.
    public func conv2dBackwardData(_ gradOutput: Tensor, weight: Tensor, inputShape: Shape,
                                   window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: inputShape, weight: weight.shape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try storage(of: gradOutput), w = try storage(of: weight)
        let (result, dx) = makeOutput(inputShape)
        if let transposedWindow = plan.backwardDataWindow {
            let transposed = try ConvolutionPlan(input: gradOutput.shape, weight: plan.flippedKernelShape,
                                                 window: transposedWindow, groups: groups)
            let kernel = plan.flippedKernel(w.baseAddress!)
            defer { kernel.deallocate() }
            convolve(transposed, input: dy.baseAddress!, weight: kernel, bias: nil, into: dx.baseAddress!)
            return result
        }
        Parallel.forEachChunk(plan.batch, costPerItem: plan.multiplyAddsPerSample) { samples in
            PackingWorkspace.withPooled { workspace in
            let columns = HostMemoryPool.shared.take(plan.columnCount)
            defer { HostMemoryPool.shared.give(columns, count: plan.columnCount) }
            for n in samples {
                for g in 0..<groups {
                    columns.initialize(repeating: 0, count: plan.columnCount)
                    let gradient = dy.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels
                    GEMMKernel.multiply(rows: 0..<plan.patchSize, columns: 0..<plan.outputPixels, k: plan.outputsPerGroup, alpha: 1,
                                        a: UnsafePointer(w.baseAddress! + g * plan.outputsPerGroup * plan.patchSize),
                                        aLayout: MatrixLayout(rows: plan.patchSize, columns: plan.outputsPerGroup, transposed: true),
                                        b: MatrixLayout(rows: plan.outputsPerGroup, columns: plan.outputPixels, transposed: false)
                                            .matrix(at: gradient),
                                        c: columns, ldc: plan.outputPixels, workspace: workspace)
                    plan.col2im(columns, sample: n, group: g, into: dx.baseAddress!)
                }
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
            PackingWorkspace.withPooled { workspace in
            let columns = HostMemoryPool.shared.take(plan.columnCount)
            defer { HostMemoryPool.shared.give(columns, count: plan.columnCount) }
            let firstGroup = channels.lowerBound / plan.outputsPerGroup
            let lastGroup = (channels.upperBound - 1) / plan.outputsPerGroup
            for n in 0..<plan.batch {
                for g in firstGroup...lastGroup {
                    let groupChannels = (g * plan.outputsPerGroup)..<((g + 1) * plan.outputsPerGroup)
                    let rows = channels.clamped(to: groupChannels)
                    ConvolutionPatches(plan: plan, input: x.baseAddress!, sample: n, group: g).unfold(into: columns)
                    GEMMKernel.multiply(rows: (rows.lowerBound - groupChannels.lowerBound)..<(rows.upperBound - groupChannels.lowerBound),
                                        columns: 0..<plan.patchSize, k: plan.outputPixels, alpha: 1,
                                        a: UnsafePointer(dy.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels),
                                        aLayout: MatrixLayout(rows: plan.outputsPerGroup, columns: plan.outputPixels, transposed: false),
                                        b: MatrixLayout(rows: plan.outputPixels, columns: plan.patchSize, transposed: true).matrix(at: columns),
                                        c: dw.baseAddress! + g * plan.outputsPerGroup * plan.patchSize, ldc: plan.patchSize,
                                        workspace: workspace)
                }
            }
            }
        }
        return result
    }

    /// `y = conv(x, w) (+ bias)`: for each sample, group and tile of output pixels, the
    /// group's weights times the patches packed straight from the input. When there
    /// are fewer samples than cores, each sample's pixels split into tiles for all cores.
    private func convolve(_ plan: ConvolutionPlan, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let pixels = plan.outputPixels
        let tiles = min((Parallel.workerCount + plan.batch - 1) / plan.batch, max(1, pixels / PackedGEMM.nr))
        /// Tile t's pixels, in whole 16-column slivers but the last.
        func tile(_ t: Int) -> Range<Int> {
            let boundary = { (t: Int) in t == tiles ? pixels : pixels * t / tiles / PackedGEMM.nr * PackedGEMM.nr }
            return boundary(t)..<boundary(t + 1)
        }
        Parallel.forEachChunk(plan.batch * tiles, costPerItem: plan.multiplyAddsPerSample / tiles) { items in
            PackingWorkspace.withPooled { workspace in
            for item in items {
                let (n, pixelRange) = (item / tiles, tile(item % tiles))
                for g in 0..<plan.groups {
                    GEMMKernel.multiply(rows: 0..<plan.outputsPerGroup, columns: pixelRange, k: plan.patchSize, alpha: 1,
                                        a: weight + g * plan.outputsPerGroup * plan.patchSize,
                                        aLayout: MatrixLayout(rows: plan.outputsPerGroup, columns: plan.patchSize, transposed: false),
                                        b: ConvolutionPatches(plan: plan, input: input, sample: n, group: g),
                                        c: y + (n * plan.outputChannels + g * plan.outputsPerGroup) * pixels, ldc: pixels,
                                        workspace: workspace)
                }
                guard let bias else { continue }
                for o in 0..<plan.outputChannels {
                    let row = y + (n * plan.outputChannels + o) * pixels
                    for p in pixelRange { row[p] += bias[o] }
                }
            }
            }
        }
    }
}

extension ConvolutionPlan {
    /// The weights of the convolution under ``backwardDataWindow``: element (c, o, i, j)
    /// is the original (g·O/groups + o, c mod C/groups, kH−1−i, kW−1−j) for c in group g.
    /// The caller deallocates the result.
    func flippedKernel(_ weight: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        let (kh, kw) = (window.kernelHeight, window.kernelWidth)
        let kernel = UnsafeMutablePointer<Float>.allocate(capacity: inputChannels * outputsPerGroup * kh * kw)
        for c in 0..<inputChannels {
            let (g, ci) = c.quotientAndRemainder(dividingBy: channelsPerGroup)
            for o in 0..<outputsPerGroup {
                let source = weight + ((g * outputsPerGroup + o) * channelsPerGroup + ci) * kh * kw
                let target = kernel + (c * outputsPerGroup + o) * kh * kw
                for tap in 0..<(kh * kw) { target[tap] = source[kh * kw - 1 - tap] }
            }
        }
        return kernel
    }
}
