/// The sliding-window geometry shared by 2-D convolution and pooling.
///
/// Padding may differ on each side (ONNX `pads` are asymmetric). The output
/// extent along an axis is `(size + padBefore + padAfter - dilation·(kernel-1) - 1) / stride + 1`.
public struct Window2D: Hashable, Sendable, Codable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var padTop: Int
    public var padLeft: Int
    public var padBottom: Int
    public var padRight: Int
    public var dilationHeight: Int
    public var dilationWidth: Int

    /// A window with the same stride, symmetric padding and dilation on both axes.
    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.init(
            kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride, strideWidth: stride,
            padTop: padding, padLeft: padding, padBottom: padding, padRight: padding,
            dilationHeight: dilation, dilationWidth: dilation)
    }

    /// A window with every parameter given per axis and per side.
    public init(
        kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
        padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0,
        dilationHeight: Int = 1, dilationWidth: Int = 1
    ) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padTop = padTop
        self.padLeft = padLeft
        self.padBottom = padBottom
        self.padRight = padRight
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
    }

    /// Checks that every parameter is in range and the window fits the input.
    public func validate(inputHeight: Int, inputWidth: Int) throws {
        guard kernelHeight > 0, kernelWidth > 0, strideHeight > 0, strideWidth > 0,
            dilationHeight > 0, dilationWidth > 0,
            padTop >= 0, padLeft >= 0, padBottom >= 0, padRight >= 0
        else {
            throw GlassboxError.invalidArgument(
                "window \(self) has a non-positive kernel, stride or dilation, or negative padding")
        }
        let limit = 1 << 20
        guard
            [
                kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth,
            ].allSatisfy({ $0 <= limit })
        else {
            throw GlassboxError.invalidArgument("window \(self) has a parameter above \(limit)")
        }
        let spanHeight = inputHeight + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1
        let spanWidth = inputWidth + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1
        guard spanHeight >= 0, spanWidth >= 0 else {
            throw GlassboxError.shapeMismatch(
                "a \(kernelHeight)×\(kernelWidth) window does not fit an input of \(inputHeight)×\(inputWidth)")
        }
    }

    /// The output height and width for an input of the given size.
    public func outputSize(inputHeight: Int, inputWidth: Int) -> (height: Int, width: Int) {
        let height = (inputHeight + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1
        let width = (inputWidth + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1
        return (height, width)
    }
}
