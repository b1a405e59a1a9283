extension Graph {
    /// The floating-point operations of one sample's forward pass through the
    /// matrix products — convolutions, dense layers and products of two computed
    /// values (``BatchedMatMul``, attention) — at 2 per multiply-add, the work that
    /// sets a network's cost.
    ///
    /// This is the convention of PyTorch's `torch.utils.flop_counter` (convolutions
    /// and matrix products only, 2 per multiply-add; biases not counted); torchvision's
    /// model tables give multiply-adds ("GFLOPS" 4.09 for ResNet-50 is 4.09 G
    /// multiply-adds, 8.2 GFLOP here). Elementwise layers, pooling, normalisation,
    /// softmax and resizing are left out: ``Graph/forwardElementwiseFLOPsPerSample`` estimates
    /// them. A Bayesian layer counts twice (its mean and its variance map). The input
    /// gradient of a backward pass costs about the same again.
    public var forwardFLOPsPerSample: Double {
        nodes.reduce(0) { $0 + forwardFLOPs(of: $1).products }
    }

    /// An estimate of the rest of one sample's forward pass: the arithmetic of the
    /// layers ``Graph/forwardFLOPsPerSample`` leaves out, counted per element as
    /// ``Graph/forwardFLOPs(of:)`` says. Moving data (reshapes, transposes, gathers,
    /// concatenations, slices, padding) counts nothing.
    public var forwardElementwiseFLOPsPerSample: Double {
        nodes.reduce(0) { $0 + forwardFLOPs(of: $1).elementwise }
    }

    /// The floating-point operations of one node's forward pass for one sample.
    ///
    /// `products` are the matrix products at 2 per multiply-add (``Conv2D``, ``Dense``,
    /// ``BatchedMatMul``, the input and recurrent products of ``LSTM``; Bayesian layers
    /// twice). `elementwise` is an estimate of everything else, each elementwise
    /// function — ReLU, GELU, erf, a
    /// hard-swish, an exponential — counted as one operation per element: 1 per output
    /// element for ``Arithmetic``, ``Comparison``, ``Where``, activations and unary
    /// functions, (inputs − 1) for ``Add``, 2 for an unfolded ``BatchNorm``, 5 + 1 for
    /// the scale + 1 for the bias for ``LayerNormalization`` (mean, deviation, square,
    /// variance, normalise), 5 for ``Softmax`` (maximum, subtract, exponential, sum,
    /// divide), the window's size per output for ``Pool2D``, 1 per input element for
    /// ``GlobalAveragePool`` and ``Reduction`` (2 for L2 and the sum of squares, 4 for
    /// the log-sum-exp), size + 3 for ``LocalResponseNormalization``, and the two
    /// separable matrix products of ``Resize`` at 2 per multiply-add, 13 per hidden state
    /// for ``LSTM`` (bias, gates, cell and hidden state). ``Dropout`` at
    /// inference and every layer that only moves data count 0.
    public func forwardFLOPs(of node: Node) -> (products: Double, elementwise: Double) {
        let outputs = Double(shapes[node.name]!.count)
        let firstInput = node.inputs.first.flatMap { shapes[$0] }
        let inputs = Double(firstInput?.count ?? 0)
        switch node.layer {
        case let convolution as Conv2D:
            let taps =
                convolution.inputChannels / max(convolution.groups, 1) * convolution.window.kernelHeight
                * convolution.window.kernelWidth
            return (2 * outputs * Double(taps), 0)
        case let dense as Dense:
            return (2 * outputs * Double(dense.inputFeatures), 0)
        case let product as BatchedMatMul:
            // Output …×m×n, each entry an inner product of k = the left operand's column extent.
            guard let left = firstInput, left.rank >= 2 else { return (0, 0) }
            return (2 * outputs * Double(product.transposeLeft ? left[-2] : left[-1]), 0)
        case let convolution as BayesianConv2D:
            let taps = convolution.inputChannels * convolution.window.kernelHeight * convolution.window.kernelWidth
            return (4 * outputs * Double(taps), 0)
        case let dense as BayesianDense:
            return (4 * outputs * Double(dense.inputFeatures), 0)
        case let recurrent as LSTM:
            // Per step and hidden unit: four gates, each a row of W (D) and of R (H); then
            // the bias, four activations, f·c + i·c̃, tanh(c) and o·tanh(c).
            return (8 * outputs * Double(recurrent.inputSize + recurrent.hiddenSize), 13 * outputs)
        case is Arithmetic, is Comparison, is Where, is ElementwiseActivationLayer:
            return (0, outputs)
        case is Add:
            return (0, outputs * Double(max(node.inputs.count - 1, 0)))
        case is BatchNorm:
            return (0, 2 * outputs)
        case let normalization as LayerNormalization:
            return (0, outputs * Double(5 + (normalization.hasScale ? 1 : 0) + (normalization.hasBias ? 1 : 0)))
        case is Softmax:
            return (0, 5 * outputs)
        case let pooling as Pool2D:
            return (0, outputs * Double(pooling.window.kernelHeight * pooling.window.kernelWidth))
        case is GlobalAveragePool:
            return (0, inputs)
        case let reduction as Reduction:
            switch reduction.kind {
            case .l2, .sumSquare: return (0, 2 * inputs)
            case .logSumExp: return (0, 4 * inputs)
            case .sum, .mean, .max, .min: return (0, inputs)
            }
        case let normalization as LocalResponseNormalization:
            return (0, outputs * Double(normalization.size + 3))
        case let resize as Resize:
            // Along W: (planes·H)×W times W×W′; along H: H′×H times H×(planes·W′).
            let planes = inputs / Double(max(resize.inputHeight * resize.inputWidth, 1))
            let alongWidth = planes * Double(resize.inputHeight * resize.inputWidth * resize.outputWidth)
            let alongHeight = planes * Double(resize.outputHeight * resize.inputHeight * resize.outputWidth)
            return (0, 2 * (alongWidth + alongHeight))
        default:
            return (0, 0)
        }
    }
}
