import GlassboxFMAKernels

/// One sample and group of a convolution's input copied with its zero padding
/// made explicit and its columns split into `strideWidth` phases (column x of a
/// padded row goes to phase x mod s, position x / s), so that every row of the
/// patch matrix restricted to one output row is a contiguous run of the copy:
/// patch row (channel c, kernel row i, kernel column j) of output row oh reads
/// phase (j·dilationWidth) mod s of row oh·strideHeight + i·dilationHeight from
/// position (j·dilationWidth) / s on (the indirect convolution of Dukhan 2019,
/// "The indirect convolution algorithm", over NCHW rows, with the polyphase split
/// that turns a strided read into a contiguous one).
final class PaddedImage: @unchecked Sendable {
    let plan: ConvolutionPlan
    let paddedHeight: Int, paddedWidth: Int
    /// Columns of one phase of a padded row.
    let phaseWidth: Int
    /// Floats of one copy: the phases of the padded planes of a group, plus slack
    /// for the GEMM's reads past the last row (a sliver, and a row on the wide grid).
    let count: Int
    /// Where each patch row starts, relative to its output row's start.
    private let rowOffsets: UnsafeMutablePointer<Int>

    init(_ plan: ConvolutionPlan) {
        self.plan = plan
        let window = plan.window, phases = window.strideWidth
        paddedHeight = plan.height + window.padTop + window.padBottom
        paddedWidth = plan.width + window.padLeft + window.padRight
        phaseWidth = (paddedWidth + phases - 1) / phases
        count = plan.channelsPerGroup * phases * paddedHeight * phaseWidth + PackedGEMM.nr + paddedWidth
        rowOffsets = .allocate(capacity: plan.patchSize)
        var row = 0
        for c in 0..<plan.channelsPerGroup {
            for i in 0..<window.kernelHeight {
                for j in 0..<window.kernelWidth {
                    let (position, phase) = (j * window.dilationWidth).quotientAndRemainder(dividingBy: phases)
                    rowOffsets[row] =
                        ((c * phases + phase) * paddedHeight + i * window.dilationHeight) * phaseWidth + position
                    row += 1
                }
            }
        }
    }

    deinit { rowOffsets.deallocate() }

    /// Copies the padded rows that output rows `outputRows` read, of the planes of
    /// `sample` and `group` of the NCHW `input`, into `image`: zero padding included,
    /// split into phases, each row written once. Other rows are left as they are (a
    /// band of rows on another core fills its own), and what the GEMM reads of them
    /// lands only in discarded columns.
    func fill(
        _ image: UnsafeMutablePointer<Float>, from input: UnsafePointer<Float>, sample: Int, group: Int,
        outputRows: Range<Int>
    ) {
        let window = plan.window, (height, width) = (plan.height, plan.width), phases = window.strideWidth
        let firstRow = outputRows.lowerBound * window.strideHeight
        let lastRow =
            (outputRows.upperBound - 1) * window.strideHeight + (window.kernelHeight - 1) * window.dilationHeight
        for c in 0..<plan.channelsPerGroup {
            let source = input + (sample * plan.inputChannels + group * plan.channelsPerGroup + c) * height * width
            for paddedRow in firstRow...lastRow {
                /// Row `paddedRow` of phase `phase` of channel c.
                func target(_ phase: Int) -> UnsafeMutablePointer<Float> {
                    image + ((c * phases + phase) * paddedHeight + paddedRow) * phaseWidth
                }
                for phase in 0..<phases { target(phase).update(repeating: 0, count: phaseWidth) }
                let h = paddedRow - window.padTop
                guard h >= 0 && h < height else { continue }
                let row = source + h * width
                if phases == 1 {
                    (target(0) + window.padLeft).update(from: row, count: width)
                    continue
                }
                for w in 0..<width {
                    let (position, phase) = (window.padLeft + w).quotientAndRemainder(dividingBy: phases)
                    target(phase)[position] = row[w]
                }
            }
        }
        let slack = PackedGEMM.nr + paddedWidth
        (image + count - slack).update(repeating: 0, count: slack)
    }

    /// For unit strides and outputs narrower than their slivers, the width of the
    /// wide grid: output rows computed as whole padded rows, whose columns run on
    /// from row to row without a break, so slivers never stop at a row's end
    /// (the last paddedWidth − outputWidth columns of each row are discarded).
    var wideGridWidth: Int? {
        let window = plan.window, nr = PackedGEMM.nr
        guard window.strideHeight == 1, window.strideWidth == 1,
            paddedWidth < (plan.outputWidth + nr - 1) / nr * nr
        else { return nil }
        return paddedWidth
    }

    /// The patch matrix on the wide grid from output row `outputRow` on: column
    /// r·paddedWidth + x is output pixel (outputRow + r, x) for x < outputWidth.
    func wideRows(of image: UnsafePointer<Float>, from outputRow: Int) -> OffsetRowsMatrix {
        let columns = (plan.outputHeight - outputRow) * paddedWidth
        return OffsetRowsMatrix(
            base: image + outputRow * paddedWidth, rowOffsets: rowOffsets, segmentWidth: columns, segmentStride: columns
        )
    }

    /// The patch matrix of `image`, columns being the output pixels.
    func patches(of image: UnsafePointer<Float>) -> OffsetRowsMatrix {
        OffsetRowsMatrix(
            base: image, rowOffsets: rowOffsets, segmentWidth: plan.outputWidth,
            segmentStride: plan.window.strideHeight * phaseWidth)
    }
}
