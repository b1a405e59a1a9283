extension CPUBackend {
    public func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        let x = try storage(of: input)
        let (result, y) = makeOutput(plan.outputShape)
        Parallel.forEachChunk(plan.batch * plan.channels, costPerItem: plan.outputHeight * plan.outputWidth * plan.tapsPerWindow) { planes in
            plan.forEachWindow(planes: planes) { output, forEachTap in
                switch kind {
                case .max:
                    var best: Float = 0, found = false
                    forEachTap { tap in
                        if !found || x[tap] > best {
                            best = x[tap]
                            found = true
                        }
                    }
                    y[output] = best
                case .average(let countIncludePadding):
                    var sum: Float = 0, inside = 0
                    forEachTap { tap in
                        sum += x[tap]
                        inside += 1
                    }
                    let divisor = countIncludePadding ? plan.tapsPerWindow : inside
                    y[output] = divisor == 0 ? 0 : sum / Float(divisor)
                }
            }
        }
        return result
    }

    public func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        try plan.checkGradient(gradOutput.shape)
        let x = try storage(of: input), dy = try storage(of: gradOutput)
        let (result, dx) = makeOutput(input.shape)
        // Windows of different planes never share an input, so threads own whole planes.
        Parallel.forEachChunk(plan.batch * plan.channels, costPerItem: plan.outputHeight * plan.outputWidth * plan.tapsPerWindow) { planes in
            plan.forEachWindow(planes: planes) { output, forEachTap in
                switch kind {
                case .max:
                    var winner = -1
                    forEachTap { tap in
                        if winner < 0 || x[tap] > x[winner] { winner = tap }
                    }
                    if winner >= 0 { dx[winner] += dy[output] }
                case .average(let countIncludePadding):
                    var inside = 0
                    forEachTap { _ in inside += 1 }
                    let divisor = countIncludePadding ? plan.tapsPerWindow : inside
                    guard divisor > 0 else { return }
                    let share = dy[output] / Float(divisor)
                    forEachTap { tap in dx[tap] += share }
                }
            }
        }
        return result
    }
}

/// The window enumeration of the CPU backend.
extension PoolingPlan {
    /// The taps of one window, padding included.
    var tapsPerWindow: Int { window.kernelHeight * window.kernelWidth }

    /// Calls `body` with each output offset of the planes (sample × channel) in
    /// `planes` and a function that visits the input offsets of its window's taps
    /// inside the image (padding taps are skipped), in row-major window order.
    /// Plans without padding or dilation take direct offsets, with no bounds tests.
    @inline(__always)
    func forEachWindow(planes: Range<Int>, _ body: (_ output: Int, _ forEachTap: ((Int) -> Void) -> Void) -> Void) {
        let unpadded = window.padTop == 0 && window.padLeft == 0 && window.padBottom == 0 && window.padRight == 0
            && window.dilationHeight == 1 && window.dilationWidth == 1
        for plane in planes {
            for oh in 0..<outputHeight {
                for ow in 0..<outputWidth {
                    body((plane * outputHeight + oh) * outputWidth + ow) { visit in
                        if unpadded {
                            let base = (plane * height + oh * window.strideHeight) * width + ow * window.strideWidth
                            for ki in 0..<window.kernelHeight {
                                for kj in 0..<window.kernelWidth { visit(base + ki * width + kj) }
                            }
                            return
                        }
                        for ki in 0..<window.kernelHeight {
                            let ih = oh * window.strideHeight - window.padTop + ki * window.dilationHeight
                            guard ih >= 0 && ih < height else { continue }
                            for kj in 0..<window.kernelWidth {
                                let iw = ow * window.strideWidth - window.padLeft + kj * window.dilationWidth
                                if iw >= 0 && iw < width { visit((plane * height + ih) * width + iw) }
                            }
                        }
                    }
                }
            }
        }
    }
}
