extension CPUBackend {
    public func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        let x = try storage(of: input)
        let (result, y) = makeOutput(plan.outputShape)
        Parallel.forEachChunk(plan.batch * plan.channels, costPerItem: plan.outputHeight * plan.outputWidth * plan.tapsPerWindow) { planes in
            if plan.isUnpadded {
                // Every window lies inside the image: direct offsets, no padding tests.
                let (rows, columns, width) = (plan.window.kernelHeight, plan.window.kernelWidth, plan.width)
                plan.forEachUnpaddedWindow(planes: planes) { output, base in
                    switch kind {
                    case .max:
                        var best = x[base]
                        for ki in 0..<rows {
                            for kj in 0..<columns where x[base + ki * width + kj] > best { best = x[base + ki * width + kj] }
                        }
                        y[output] = best
                    case .average:
                        var sum: Float = 0
                        for ki in 0..<rows { for kj in 0..<columns { sum += x[base + ki * width + kj] } }
                        y[output] = sum / Float(rows * columns)
                    }
                }
                return
            }
            plan.forEachWindow(planes: planes) { output, forEachTap in
                switch kind {
                case .max:
                    var best: Float?
                    forEachTap { tap in
                        if let tap, best.map({ x[tap] > $0 }) ?? true { best = x[tap] }
                    }
                    y[output] = best ?? 0
                case .average(let countIncludePadding):
                    var sum: Float = 0, inside = 0
                    forEachTap { tap in
                        if let tap {
                            sum += x[tap]
                            inside += 1
                        }
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
            if plan.isUnpadded {
                let (rows, columns, width) = (plan.window.kernelHeight, plan.window.kernelWidth, plan.width)
                plan.forEachUnpaddedWindow(planes: planes) { output, base in
                    switch kind {
                    case .max:
                        var winner = base
                        for ki in 0..<rows {
                            for kj in 0..<columns where x[base + ki * width + kj] > x[winner] { winner = base + ki * width + kj }
                        }
                        dx[winner] += dy[output]
                    case .average:
                        let share = dy[output] / Float(rows * columns)
                        for ki in 0..<rows { for kj in 0..<columns { dx[base + ki * width + kj] += share } }
                    }
                }
                return
            }
            plan.forEachWindow(planes: planes) { output, forEachTap in
                switch kind {
                case .max:
                    var winner: Int?
                    forEachTap { tap in
                        if let tap, winner.map({ x[tap] > x[$0] }) ?? true { winner = tap }
                    }
                    if let winner { dx[winner] += dy[output] }
                case .average(let countIncludePadding):
                    var inside = 0
                    forEachTap { tap in if tap != nil { inside += 1 } }
                    let divisor = countIncludePadding ? plan.tapsPerWindow : inside
                    guard divisor > 0 else { return }
                    let share = dy[output] / Float(divisor)
                    forEachTap { tap in if let tap { dx[tap] += share } }
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

    /// Whether every window lies inside the image with adjacent taps (no padding, no dilation).
    var isUnpadded: Bool {
        window.padTop == 0 && window.padLeft == 0 && window.padBottom == 0 && window.padRight == 0
            && window.dilationHeight == 1 && window.dilationWidth == 1
    }

    /// Calls `body` with each output offset of the planes in `planes` and the input
    /// offset of its window's first tap; for ``isUnpadded`` plans only.
    @inline(__always)
    func forEachUnpaddedWindow(planes: Range<Int>, _ body: (_ output: Int, _ base: Int) -> Void) {
        for plane in planes {
            for oh in 0..<outputHeight {
                let row = (plane * height + oh * window.strideHeight) * width
                for ow in 0..<outputWidth { body((plane * outputHeight + oh) * outputWidth + ow, row + ow * window.strideWidth) }
            }
        }
    }

    /// Calls `body` with each output offset of the planes (sample × channel) in
    /// `planes` and a function that visits the input offsets of its window (nil
    /// where the window covers padding), in row-major window order.
    @inline(__always)
    func forEachWindow(planes: Range<Int>, _ body: (_ output: Int, _ forEachTap: ((Int?) -> Void) -> Void) -> Void) {
        for plane in planes {
            for oh in 0..<outputHeight {
                for ow in 0..<outputWidth {
                    body((plane * outputHeight + oh) * outputWidth + ow) { visit in
                        for ki in 0..<window.kernelHeight {
                            let ih = oh * window.strideHeight - window.padTop + ki * window.dilationHeight
                            for kj in 0..<window.kernelWidth {
                                let iw = ow * window.strideWidth - window.padLeft + kj * window.dilationWidth
                                visit(ih >= 0 && ih < height && iw >= 0 && iw < width ? (plane * height + ih) * width + iw : nil)
                            }
                        }
                    }
                }
            }
        }
    }
}
