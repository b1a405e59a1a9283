extension CPUBackend {
    public func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        let x = try storage(of: input)
        let (result, y) = makeOutput(plan.outputShape)
        Parallel.forEachChunk(
            plan.batch * plan.channels, costPerItem: plan.outputHeight * plan.outputWidth * plan.tapsPerWindow
        ) { planes in
            plan.forEachWindow(planes: planes) { output, taps in
                switch kind {
                case .max:
                    // The first maximal tap, as the OpenCL kernel takes it; selects rather
                    // than branches, since on noisy inputs the comparisons are coin flips.
                    guard taps.count > 0 else { return }
                    var best = x[taps.first]
                    taps.forEach { tap in best = x[tap] > best ? x[tap] : best }
                    y[output] = best
                case .average(let countIncludePadding):
                    var sum: Float = 0
                    taps.forEach { tap in sum += x[tap] }
                    let divisor = countIncludePadding ? plan.tapsPerWindow : taps.count
                    y[output] = divisor == 0 ? 0 : sum / Float(divisor)
                }
            }
        }
        return result
    }

    public func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws
        -> Tensor
    {
        let plan = try PoolingPlan(input: input.shape, window: window)
        try plan.checkGradient(gradOutput.shape)
        let x = try storage(of: input), dy = try storage(of: gradOutput)
        let (result, dx) = makeOutput(input.shape)
        // Windows of different planes never share an input, so threads own whole planes.
        Parallel.forEachChunk(
            plan.batch * plan.channels, costPerItem: plan.outputHeight * plan.outputWidth * plan.tapsPerWindow
        ) { planes in
            plan.forEachWindow(planes: planes) { output, taps in
                switch kind {
                case .max:
                    guard taps.count > 0 else { return }
                    var winner = taps.first, best = x[winner]
                    taps.forEach { tap in
                        let better = x[tap] > best
                        (best, winner) = (better ? x[tap] : best, better ? tap : winner)
                    }
                    dx[winner] += dy[output]
                case .average(let countIncludePadding):
                    let divisor = countIncludePadding ? plan.tapsPerWindow : taps.count
                    guard divisor > 0 else { return }
                    let share = dy[output] / Float(divisor)
                    taps.forEach { tap in dx[tap] += share }
                }
            }
        }
        return result
    }
}

/// The input offsets of one pooling window's taps inside the image: rows `rows`
/// and columns `columns` of the window, tap (i, j) at `origin + i·rowStep + j·columnStep`.
struct WindowTaps {
    let origin: Int, rowStep: Int, columnStep: Int
    let rows: Range<Int>, columns: Range<Int>

    /// The taps inside the image.
    var count: Int { rows.count * columns.count }

    /// The offset of the first tap inside the image (when there is one).
    var first: Int { origin + rows.lowerBound * rowStep + columns.lowerBound * columnStep }

    /// Visits the taps in row-major window order.
    @inline(__always)
    func forEach(_ body: (Int) -> Void) {
        for i in rows {
            for j in columns { body(origin + i * rowStep + j * columnStep) }
        }
    }
}

/// The window enumeration of the CPU backend.
extension PoolingPlan {
    /// The taps of one window, padding included.
    var tapsPerWindow: Int { window.kernelHeight * window.kernelWidth }

    /// Calls `body` with each output offset of the planes (sample × channel) in
    /// `planes` and the taps of its window that fall inside the image.
    @inline(__always)
    func forEachWindow(planes: Range<Int>, _ body: (_ output: Int, _ taps: WindowTaps) -> Void) {
        let rowStep = window.dilationHeight * width, columnStep = window.dilationWidth
        /// The window taps k with 0 ≤ start + k·dilation < size.
        func inside(_ start: Int, dilation: Int, kernel: Int, size: Int) -> Range<Int> {
            // No division inside the image.
            if start >= 0 && start + (kernel - 1) * dilation < size { return 0..<kernel }
            let low = start >= 0 ? 0 : (-start + dilation - 1) / dilation
            let high = start >= size ? 0 : min(kernel, (size - 1 - start) / dilation + 1)
            return low..<max(low, high)
        }
        for plane in planes {
            for oh in 0..<outputHeight {
                let top = oh * window.strideHeight - window.padTop
                let rows = inside(top, dilation: window.dilationHeight, kernel: window.kernelHeight, size: height)
                for ow in 0..<outputWidth {
                    let left = ow * window.strideWidth - window.padLeft
                    let columns = inside(left, dilation: window.dilationWidth, kernel: window.kernelWidth, size: width)
                    body(
                        (plane * outputHeight + oh) * outputWidth + ow,
                        WindowTaps(
                            origin: (plane * height + top) * width + left, rowStep: rowStep, columnStep: columnStep,
                            rows: rows, columns: columns))
                }
            }
        }
    }
}
