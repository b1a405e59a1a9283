/// The sizes of one 2-D pooling (NCHW), validated once so every backend accepts
/// and rejects the same shapes.
public struct PoolingPlan: Sendable {
    /// N, C, H and W of the input.
    public let batch: Int, channels: Int, height: Int, width: Int
    /// The sliding-window geometry.
    public let window: Window2D
    /// The spatial size of the output.
    public let outputHeight: Int, outputWidth: Int

    /// The output's shape, N × C × outputHeight × outputWidth.
    public var outputShape: Shape { [batch, channels, outputHeight, outputWidth] }

    /// Checks the rank and the window, throwing ``GlassboxError/shapeMismatch(_:)``
    /// or ``GlassboxError/invalidArgument(_:)``.
    public init(input: Shape, window: Window2D) throws {
        guard input.rank == 4 else { throw GlassboxError.shapeMismatch("pooling needs NCHW input, got \(input)") }
        try window.validate(inputHeight: input[2], inputWidth: input[3])
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        self.window = window
        (outputHeight, outputWidth) = window.outputSize(inputHeight: height, inputWidth: width)
    }

    /// Throws ``GlassboxError/shapeMismatch(_:)`` unless `shape` is ``outputShape``.
    public func checkGradient(_ shape: Shape) throws {
        guard shape == outputShape else {
            throw GlassboxError.shapeMismatch("pooling output gradient \(shape), expected \(outputShape)")
        }
    }
}
