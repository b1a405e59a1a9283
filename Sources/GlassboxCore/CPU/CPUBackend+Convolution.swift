import GlassboxFMAKernels

extension CPUBackend {
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weight.shape, window: window, groups: groups)
        let x = try storage(of: input), w = try buffer(of: weight)
        let biasValues = try bias.map { tensor in
            try plan.checkBias(tensor.shape)
            return try storage(of: tensor)
        }
        let (result, y) = makeOutput(plan.outputShape)
        let weights = ConvolutionWeights(plan, values: w.storage.baseAddress!, cache: w, name: "weights")
        convolve(plan, input: x.baseAddress!, weights: weights, bias: biasValues?.baseAddress, into: y.baseAddress!)
        return result
    }

    /// A stride-1 convolution's input gradient is itself a convolution of the output
    /// gradient (``ConvolutionPlan/backwardDataWindow``) with the flipped kernel, which
    /// reads its patches in place from the gradient; strided ones scatter Wᵀ·dY back with col2im.
    public func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor {
        let plan = try ConvolutionPlan(input: inputShape, weight: weight.shape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try storage(of: gradOutput), weights = try buffer(of: weight), w = weights.storage
        let (result, dx) = makeOutput(inputShape)
        if let transposedWindow = plan.backwardDataWindow {
            let transposed = try ConvolutionPlan(
                input: gradOutput.shape, weight: plan.flippedKernelShape,
                window: transposedWindow, groups: groups)
            let kernel = weights.derived(
                "flipped kernel \(plan.flippedKernelShape) in \(groups) groups",
                count: plan.flippedKernelShape.count
            ) { plan.flipKernel(w.baseAddress!, into: $0) }
            let flipped = ConvolutionWeights(transposed, values: kernel, cache: weights, name: "flipped kernel")
            convolve(transposed, input: dy.baseAddress!, weights: flipped, bias: nil, into: dx.baseAddress!)
            return result
        }
        Parallel.forEachChunk(plan.batch, costPerItem: plan.multiplyAddsPerSample) { samples in
            PackingWorkspace.withPooled { workspace in
                let columns = HostMemoryPool.shared.take(plan.columnCount)
                defer { HostMemoryPool.shared.give(columns, count: plan.columnCount) }
                for n in samples {
                    for g in 0..<groups {
                        columns.initialize(repeating: 0, count: plan.columnCount)
                        let gradient =
                            dy.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels
                        GEMMKernel.multiply(
                            rows: 0..<plan.patchSize, columns: 0..<plan.outputPixels, k: plan.outputsPerGroup, alpha: 1,
                            a: UnsafePointer(w.baseAddress! + g * plan.outputsPerGroup * plan.patchSize),
                            aLayout: MatrixLayout(
                                rows: plan.patchSize, columns: plan.outputsPerGroup, transposed: true),
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

    public func conv2dBackwardFilter(
        _ gradOutput: Tensor, input: Tensor, weightShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weightShape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try storage(of: gradOutput), x = try storage(of: input)
        let (result, dw) = makeOutput(weightShape)
        // Threads own disjoint output channels, so no two write the same weights.
        let padded = PaddedImage(plan), pool = HostMemoryPool.shared
        Parallel.forEachChunk(plan.outputChannels, costPerItem: plan.batch * plan.patchSize * plan.outputPixels) {
            channels in
            PackingWorkspace.withPooled { workspace in
                let columns = pool.take(plan.columnCount), image = pool.take(padded.count)
                defer {
                    pool.give(columns, count: plan.columnCount)
                    pool.give(image, count: padded.count)
                }
                let firstGroup = channels.lowerBound / plan.outputsPerGroup
                let lastGroup = (channels.upperBound - 1) / plan.outputsPerGroup
                for n in 0..<plan.batch {
                    for g in firstGroup...lastGroup {
                        let groupChannels = (g * plan.outputsPerGroup)..<((g + 1) * plan.outputsPerGroup)
                        let rows = channels.clamped(to: groupChannels)
                        // The patches unfolded row-major: one sliver as wide as the matrix.
                        padded.fill(image, from: x.baseAddress!, sample: n, group: g, outputRows: 0..<plan.outputHeight)
                        padded.patches(of: image).pack(
                            rows: 0..<plan.patchSize, columns: 0..<plan.outputPixels,
                            sliverWidth: plan.outputPixels, into: columns)
                        let gradient =
                            dy.baseAddress! + (n * plan.outputChannels + g * plan.outputsPerGroup) * plan.outputPixels
                        GEMMKernel.multiply(
                            rows: (rows.lowerBound - groupChannels.lowerBound)..<(rows.upperBound
                                - groupChannels.lowerBound),
                            columns: 0..<plan.patchSize, k: plan.outputPixels, alpha: 1, a: UnsafePointer(gradient),
                            aLayout: MatrixLayout(
                                rows: plan.outputsPerGroup, columns: plan.outputPixels, transposed: false),
                            b: MatrixLayout(rows: plan.outputPixels, columns: plan.patchSize, transposed: true).matrix(
                                at: columns),
                            c: dw.baseAddress! + g * plan.outputsPerGroup * plan.patchSize, ldc: plan.patchSize,
                            workspace: workspace)
                    }
                }
            }
        }
        return result
    }

    /// `y = conv(x, w) (+ bias)`: for each sample, group and band of output rows, the
    /// group's weights times the patch matrix, read in place from a zero-padded copy
    /// of the image (``PaddedImage``). When there are fewer samples than cores, each
    /// sample's output rows split into bands for all cores.
    private func convolve(
        _ plan: ConvolutionPlan, input: UnsafePointer<Float>, weights: ConvolutionWeights,
        bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>
    ) {
        let (pixels, outputWidth, rows, depth) = (
            plan.outputPixels, plan.outputWidth, plan.outputsPerGroup, plan.patchSize
        )
        let bands = min((Parallel.workerCount + plan.batch - 1) / plan.batch, plan.outputHeight)
        let aLayout = MatrixLayout(rows: rows, columns: depth, transposed: false)
        let padded = PaddedImage(plan), pool = HostMemoryPool.shared
        Parallel.forEachChunk(plan.batch * bands, costPerItem: plan.multiplyAddsPerSample / bands) { items in
            PackingWorkspace.withPooled { workspace in
                let image = pool.take(padded.count)
                defer { pool.give(image, count: padded.count) }
                for item in items {
                    let (n, band) = item.quotientAndRemainder(dividingBy: bands)
                    let outputRows = (plan.outputHeight * band / bands)..<(plan.outputHeight * (band + 1) / bands)
                    let bandPixels = (outputRows.lowerBound * outputWidth)..<(outputRows.upperBound * outputWidth)
                    for g in 0..<plan.groups {
                        /// C[:, columns] += group g's weights times `b`, C row-major with `ldc` from `c`.
                        func product(
                            _ b: OffsetRowsMatrix, columns: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int
                        ) {
                            if let packed = weights.packed {
                                PackedGEMM.multiply(
                                    m: rows, columns: columns, k: depth, alpha: 1,
                                    packedA: packed + g * weights.packedGroupSize,
                                    b: b, c: c + columns.lowerBound, ldc: ldc)
                            } else {
                                GEMMKernel.multiply(
                                    rows: 0..<rows, columns: columns, k: depth, alpha: 1,
                                    a: weights.values + g * rows * depth,
                                    aLayout: aLayout, b: b, c: c, ldc: ldc, workspace: workspace)
                            }
                        }
                        let c = y + (n * plan.outputChannels + g * rows) * pixels
                        padded.fill(image, from: input, sample: n, group: g, outputRows: outputRows)
                        guard let gridWidth = padded.wideGridWidth else {
                            product(padded.patches(of: image), columns: bandPixels, c: c, ldc: pixels)
                            continue
                        }
                        // Narrow outputs: compute whole padded rows, then keep each row's first outputWidth columns.
                        let gridCount = outputRows.count * gridWidth
                        let grid = pool.take(rows * gridCount)
                        defer { pool.give(grid, count: rows * gridCount) }
                        grid.update(repeating: 0, count: rows * gridCount)
                        product(
                            padded.wideRows(of: image, from: outputRows.lowerBound), columns: 0..<gridCount, c: grid,
                            ldc: gridCount)
                        for o in 0..<rows {
                            for (r, oh) in outputRows.enumerated() {
                                (c + o * pixels + oh * outputWidth).update(
                                    from: grid + o * gridCount + r * gridWidth, count: outputWidth)
                            }
                        }
                    }
                    guard let bias else { continue }
                    for o in 0..<plan.outputChannels {
                        let row = y + (n * plan.outputChannels + o) * pixels
                        for p in bandPixels { row[p] += bias[o] }
                    }
                }
            }
        }
    }
}

/// A convolution's weights for the products of ``CPUBackend``: the values, and for
/// the FMA kernel each group's weights packed whole, made once per weight buffer.
private struct ConvolutionWeights {
    let values: UnsafePointer<Float>
    let packed: UnsafePointer<Float>?
    /// Floats of one group's packed weights.
    let packedGroupSize: Int

    /// `values` of `plan`'s weight shape, packed into (and kept by) `cache` under `name`.
    init(_ plan: ConvolutionPlan, values: UnsafePointer<Float>, cache: CPUBuffer, name: String) {
        let (rows, depth) = (plan.outputsPerGroup, plan.patchSize)
        let groupSize = PackedGEMM.packedSize(m: rows, k: depth)
        (self.values, packedGroupSize) = (values, groupSize)
        guard GEMMKernel.Implementation.preferred == .packedFMA else {
            packed = nil
            return
        }
        packed = cache.derived(
            "packed \(name), \(plan.groups) × \(rows) × \(depth)",
            count: plan.groups * groupSize
        ) { packed in
            for g in 0..<plan.groups {
                PackedGEMM.packWhole(
                    m: rows, k: depth, a: values + g * rows * depth, rowStride: depth, columnStride: 1,
                    into: packed + g * groupSize)
            }
        }
    }
}

extension ConvolutionPlan {
    /// Writes the weights of the convolution under ``backwardDataWindow`` to `kernel`:
    /// element (c, o, i, j) is the original (g·O/groups + o, c mod C/groups, kH−1−i, kW−1−j)
    /// for c in group g.
    func flipKernel(_ weight: UnsafePointer<Float>, into kernel: UnsafeMutablePointer<Float>) {
        let (kh, kw) = (window.kernelHeight, window.kernelWidth)
        for c in 0..<inputChannels {
            let (g, ci) = c.quotientAndRemainder(dividingBy: channelsPerGroup)
            for o in 0..<outputsPerGroup {
                let source = weight + ((g * outputsPerGroup + o) * channelsPerGroup + ci) * kh * kw
                let target = kernel + (c * outputsPerGroup + o) * kh * kw
                for tap in 0..<(kh * kw) { target[tap] = source[kh * kw - 1 - tap] }
            }
        }
    }
}
