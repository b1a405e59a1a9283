import GlassboxCore

extension Window2D {
    /// The trailing geometry arguments of the convolution and pooling kernels for an
    /// input of `height × width`: height, width, output height and width, then the
    /// kernel size, stride, top and left padding and dilation, each height first.
    func kernelArguments(height: Int, width: Int) -> [OpenCLBackend.Argument] {
        let output = outputSize(inputHeight: height, inputWidth: width)
        return [
            height, width, output.height, output.width, kernelHeight, kernelWidth, strideHeight, strideWidth,
            padTop, padLeft, dilationHeight, dilationWidth,
        ].map { .int($0) }
    }
}
