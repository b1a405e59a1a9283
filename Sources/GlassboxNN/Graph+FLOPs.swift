extension Graph {
    /// The floating-point operations of one sample's forward pass through the
    /// convolutions and dense layers (2 per multiply-add), the work that sets a
    /// network's cost; elementwise layers, pooling and normalisation are left out.
    /// A Bayesian layer counts twice (its mean and its variance map). The input
    /// gradient of a backward pass costs about the same again.
    public var forwardFLOPsPerSample: Double {
        nodes.reduce(0) { total, node in
            let outputs = Double(shapes[node.name]!.count)
            switch node.layer {
            case let convolution as Conv2D:
                return total + 2 * outputs
                    * Double(
                        convolution.inputChannels / max(convolution.groups, 1)
                            * convolution.window.kernelHeight * convolution.window.kernelWidth)
            case let dense as Dense:
                return total + 2 * outputs * Double(dense.inputFeatures)
            case let convolution as BayesianConv2D:
                return total + 4 * outputs
                    * Double(
                        convolution.inputChannels * convolution.window.kernelHeight * convolution.window.kernelWidth)
            case let dense as BayesianDense:
                return total + 4 * outputs * Double(dense.inputFeatures)
            default:
                return total
            }
        }
    }
}
