import GlassboxCore

extension ReferenceBackend {
    /// Max pooling takes the first maximal input of each window in row-major window order
    /// (so a NaN in the first tap propagates and later NaNs do not); average pooling divides
    /// the window's sum by its taps inside the image, or by all its taps when padding counts.
    /// A window wholly in the padding gives 0.
    public func pool2d(_ input: Tensor, kind: PoolingKind, window: Window2D) throws -> Tensor {
        let plan = try PoolingPlan(input: input.shape, window: window)
        let x = try values(of: input)
        var y = [Float](repeating: 0, count: plan.outputShape.count)
        plan.forEachWindow { output, taps in
            switch kind {
            case .max:
                if let winner = Self.firstMaximum(taps, x) { y[output] = x[winner] }
            case .average(let countIncludePadding):
                let divisor = countIncludePadding ? window.kernelHeight * window.kernelWidth : taps.count
                if divisor > 0 { y[output] = Float(taps.reduce(0.0) { $0 + Double(x[$1]) } / Double(divisor)) }
            }
        }
        return tensor(y, plan.outputShape)
    }

    /// Max pooling sends each output's gradient to the window's first maximal input;
    /// average pooling shares it equally among the taps the forward pass divided by.
    public func pool2dBackward(_ gradOutput: Tensor, input: Tensor, kind: PoolingKind, window: Window2D) throws
        -> Tensor
    {
        let plan = try PoolingPlan(input: input.shape, window: window)
        try plan.checkGradient(gradOutput.shape)
        let x = try values(of: input), dy = try values(of: gradOutput)
        var dx = [Double](repeating: 0, count: input.shape.count)
        plan.forEachWindow { output, taps in
            switch kind {
            case .max:
                if let winner = Self.firstMaximum(taps, x) { dx[winner] += Double(dy[output]) }
            case .average(let countIncludePadding):
                let divisor = countIncludePadding ? window.kernelHeight * window.kernelWidth : taps.count
                for tap in taps where divisor > 0 { dx[tap] += Double(dy[output]) / Double(divisor) }
            }
        }
        return tensor(dx.map(Float.init), input.shape)
    }

    /// The first of `taps` whose value no later tap exceeds.
    private static func firstMaximum(_ taps: [Int], _ x: [Float]) -> Int? {
        guard var winner = taps.first else { return nil }
        for tap in taps where x[tap] > x[winner] { winner = tap }
        return winner
    }
}

extension PoolingPlan {
    /// Calls `body` with each output offset and the input offsets of its window's taps
    /// inside the image, in row-major window order.
    func forEachWindow(_ body: (_ output: Int, _ taps: [Int]) -> Void) {
        for plane in 0..<(batch * channels) {
            for i in 0..<outputHeight {
                for j in 0..<outputWidth {
                    var taps = [Int]()
                    for ki in 0..<window.kernelHeight {
                        let row = i * window.strideHeight - window.padTop + ki * window.dilationHeight
                        guard (0..<height).contains(row) else { continue }
                        for kj in 0..<window.kernelWidth {
                            let column = j * window.strideWidth - window.padLeft + kj * window.dilationWidth
                            if (0..<width).contains(column) { taps.append((plane * height + row) * width + column) }
                        }
                    }
                    body((plane * outputHeight + i) * outputWidth + j, taps)
                }
            }
        }
    }
}
