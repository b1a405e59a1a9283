import GlassboxFMAKernels

/// One sample and group of a convolution's input copied with its zero padding
/// made explicit, so that for unit horizontal stride every row of the patch matrix
/// restricted to one output row is a contiguous run of the copy: patch row
/// (channel c, kernel row i, kernel column j) of output row oh starts at
/// `c·plane + (oh·strideHeight + i·dilationHeight)·paddedWidth + j·dilationWidth`
/// (the indirect convolution of Dukhan 2019, "The indirect convolution algorithm",
/// with NCHW rows instead of NHWC pixels).
final class PaddedImage: @unchecked Sendable {
    let plan: ConvolutionPlan
    let paddedHeight: Int, paddedWidth: Int
    /// Floats of one copy: the padded planes of a group, plus a sliver of slack the
    /// GEMM may read past the last row.
    let count: Int
    /// Where each patch row starts, relative to its output row's start.
    private let rowOffsets: UnsafeMutablePointer<Int>

    init(_ plan: ConvolutionPlan) {
        self.plan = plan
        let window = plan.window
        paddedHeight = plan.height + window.padTop + window.padBottom
        paddedWidth = plan.width + window.padLeft + window.padRight
        count = plan.channelsPerGroup * paddedHeight * paddedWidth + PackedGEMM.nr
        rowOffsets = .allocate(capacity: plan.patchSize)
        var row = 0
        for c in 0..<plan.channelsPerGroup {
            for i in 0..<window.kernelHeight {
                for j in 0..<window.kernelWidth {
                    rowOffsets[row] = (c * paddedHeight + i * window.dilationHeight) * paddedWidth + j * window.dilationWidth
                    row += 1
                }
            }
        }
    }

    deinit { rowOffsets.deallocate() }

    /// Copies the planes of `sample` and `group` from the NCHW `input` into `image`, zero-padded.
    func fill(_ image: UnsafeMutablePointer<Float>, from input: UnsafePointer<Float>, sample: Int, group: Int) {
        let window = plan.window, (height, width) = (plan.height, plan.width)
        for c in 0..<plan.channelsPerGroup {
            let source = input + (sample * plan.inputChannels + group * plan.channelsPerGroup + c) * height * width
            let plane = image + c * paddedHeight * paddedWidth
            plane.update(repeating: 0, count: window.padTop * paddedWidth)
            for h in 0..<height {
                let row = plane + (window.padTop + h) * paddedWidth
                row.update(repeating: 0, count: window.padLeft)
                (row + window.padLeft).update(from: source + h * width, count: width)
                (row + window.padLeft + width).update(repeating: 0, count: window.padRight)
            }
            (plane + (window.padTop + height) * paddedWidth).update(repeating: 0, count: window.padBottom * paddedWidth)
        }
        (image + count - PackedGEMM.nr).update(repeating: 0, count: PackedGEMM.nr)
    }

    /// The patch matrix of `image`, columns being the output pixels.
    func patches(of image: UnsafePointer<Float>) -> OffsetRowsMatrix {
        OffsetRowsMatrix(base: image, rowOffsets: rowOffsets, segmentWidth: plan.outputWidth,
                         segmentStride: plan.window.strideHeight * paddedWidth)
    }
}
