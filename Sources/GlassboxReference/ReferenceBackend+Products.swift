import GlassboxCore

extension ReferenceBackend {
    /// Each element is `alpha·Σₚ op(a)[i, p]·op(b)[p, j] + beta·c[i, j]`, summed in Float64.
    public func gemm(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
        alpha: Float, beta: Float, accumulator c: Tensor?
    ) throws -> Tensor {
        let plan = try GEMMPlan(a: a.shape, b: b.shape, transposeA: transposeA, transposeB: transposeB)
        let accumulator = try plan.accumulator(c, beta: beta).map(values(of:))
        let left = try values(of: a), right = try values(of: b)
        return tensor(plan.outputShape) { index in
            let (i, j) = index.quotientAndRemainder(dividingBy: plan.n)
            var product = 0.0
            for p in 0..<plan.k {
                let x = transposeA ? left[p * plan.m + i] : left[i * plan.k + p]
                let y = transposeB ? right[j * plan.k + p] : right[p * plan.n + j]
                product += Double(x) * Double(y)
            }
            return Float(Double(alpha) * product + Double(beta) * Double(accumulator?[index] ?? 0))
        }
    }

    public func addBias(_ x: Tensor, _ bias: Tensor) throws -> Tensor {
        guard x.shape.rank >= 2, bias.shape == [x.shape[1]] else {
            throw GlassboxError.shapeMismatch("bias \(bias.shape) does not match axis 1 of \(x.shape)")
        }
        let input = try values(of: x), offsets = try values(of: bias)
        return tensor(x.shape) { input[$0] + offsets[x.shape.coordinates(of: $0)[1]] }
    }

    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, window: Window2D, groups: Int) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weight.shape, window: window, groups: groups)
        try bias.map { try plan.checkBias($0.shape) }
        let x = try values(of: input), w = try values(of: weight), b = try bias.map(values(of:))
        var y = (0..<plan.outputShape.count).map { Double(b?[plan.outputShape.coordinates(of: $0)[1]] ?? 0) }
        plan.forEachTerm { output, input, weight in y[output] += Double(x[input]) * Double(w[weight]) }
        return tensor(y.map(Float.init), plan.outputShape)
    }

    public func conv2dBackwardData(
        _ gradOutput: Tensor, weight: Tensor, inputShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor {
        let plan = try ConvolutionPlan(input: inputShape, weight: weight.shape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try values(of: gradOutput), w = try values(of: weight)
        var dx = [Double](repeating: 0, count: inputShape.count)
        plan.forEachTerm { output, input, weight in dx[input] += Double(dy[output]) * Double(w[weight]) }
        return tensor(dx.map(Float.init), inputShape)
    }

    public func conv2dBackwardFilter(
        _ gradOutput: Tensor, input: Tensor, weightShape: Shape,
        window: Window2D, groups: Int
    ) throws -> Tensor {
        let plan = try ConvolutionPlan(input: input.shape, weight: weightShape, window: window, groups: groups)
        try plan.checkGradient(gradOutput.shape)
        let dy = try values(of: gradOutput), x = try values(of: input)
        var dw = [Double](repeating: 0, count: weightShape.count)
        plan.forEachTerm { output, input, weight in dw[weight] += Double(dy[output]) * Double(x[input]) }
        return tensor(dw.map(Float.init), weightShape)
    }
}

extension ConvolutionPlan {
    /// Calls `body` with the offsets of the output, input and weight elements of every
    /// product term `y[n, o, i, j] ∋ x[n, c, i·s − p + k·d, …]·w[o, c mod C/groups, k, …]`
    /// whose input lies inside the image (PyTorch's `conv2d`); the forward pass and both
    /// gradients are sums over these terms.
    func forEachTerm(_ body: (_ output: Int, _ input: Int, _ weight: Int) -> Void) {
        let (kh, kw) = (window.kernelHeight, window.kernelWidth)
        for n in 0..<batch {
            for o in 0..<outputChannels {
                let group = o / outputsPerGroup
                for i in 0..<outputHeight {
                    for j in 0..<outputWidth {
                        let output = ((n * outputChannels + o) * outputHeight + i) * outputWidth + j
                        for c in 0..<channelsPerGroup {
                            let channel = group * channelsPerGroup + c
                            for ki in 0..<kh {
                                let row = i * window.strideHeight - window.padTop + ki * window.dilationHeight
                                guard (0..<height).contains(row) else { continue }
                                for kj in 0..<kw {
                                    let column = j * window.strideWidth - window.padLeft + kj * window.dilationWidth
                                    guard (0..<width).contains(column) else { continue }
                                    body(
                                        output, ((n * inputChannels + channel) * height + row) * width + column,
                                        ((o * channelsPerGroup + c) * kh + ki) * kw + kj)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
