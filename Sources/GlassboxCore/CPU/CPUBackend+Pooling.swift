extension CPUBackend {
    public func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        let x = try storage(of: input)
        let (result, y) = makeOutput(plan.outputShape)
        plan.forEachWindow { output, taps in
            switch kind {
            case .max:
                y[output] = taps.compactMap { $0 }.map { x[$0] }.max() ?? 0
            case .average(let countIncludePadding):
                let inside = taps.compactMap { $0 }
                let divisor = countIncludePadding ? taps.count : inside.count
                y[output] = divisor == 0 ? 0 : inside.reduce(Float(0)) { $0 + x[$1] } / Float(divisor)
            }
        }
        return result
    }

    public func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        try plan.checkGradient(gradOutput.shape)
        let x = try storage(of: input), dy = try storage(of: gradOutput)
        let (result, dx) = makeOutput(input.shape)
        plan.forEachWindow { output, taps in
            switch kind {
            case .max:
                var winner: Int?
                for case let tap? in taps where winner.map({ x[tap] > x[$0] }) ?? true { winner = tap }
                if let winner { dx[winner] += dy[output] }
            case .average(let countIncludePadding):
                let inside = taps.compactMap { $0 }
                let divisor = countIncludePadding ? taps.count : inside.count
                guard divisor > 0 else { return }
                for tap in inside { dx[tap] += dy[output] / Float(divisor) }
            }
        }
        return result
    }
}

/// The window enumeration of the CPU backend.
extension PoolingPlan {
    /// Calls `body` with each output offset and the input offsets of its window
    /// (nil where the window covers padding), in row-major window order.
    func forEachWindow(_ body: (_ output: Int, _ taps: [Int?]) -> Void) {
        var taps = [Int?](repeating: nil, count: window.kernelHeight * window.kernelWidth)
        for plane in 0..<(batch * channels) {
            for oh in 0..<outputHeight {
                for ow in 0..<outputWidth {
                    var tap = 0
                    for ki in 0..<window.kernelHeight {
                        let ih = oh * window.strideHeight - window.padTop + ki * window.dilationHeight
                        for kj in 0..<window.kernelWidth {
                            let iw = ow * window.strideWidth - window.padLeft + kj * window.dilationWidth
                            taps[tap] = ih >= 0 && ih < height && iw >= 0 && iw < width ? (plane * height + ih) * width + iw : nil
                            tap += 1
                        }
                    }
                    body((plane * outputHeight + oh) * outputWidth + ow, taps)
                }
            }
        }
    }
}
