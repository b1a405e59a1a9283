import GlassboxFMAKernels

/// The im2col matrix of one sample and group of a convolution (rows: input
/// channel of the group, kernel row, kernel column; columns: output pixels),
/// packed block by block straight from the input image, so the matrix is never
/// built whole (Chetlur et al. 2014, "cuDNN: efficient primitives for deep learning", §3).
struct ConvolutionPatches: PanelSource {
    let plan: ConvolutionPlan
    let input: UnsafePointer<Float>
    let sample: Int
    let group: Int

    func pack(rows: Range<Int>, columns: Range<Int>, sliverWidth: Int, into packed: UnsafeMutablePointer<Float>) {
        let depth = rows.count
        // Runs of a row come in column order, so a cursor walks the row's slivers.
        var currentRow = -1, sliver = packed, filled = 0
        plan.forEachRun(sample: sample, group: group, rows: rows, columns: columns) { row, _, offset, count, step in
            if row != currentRow {
                (currentRow, sliver, filled) = (row, packed + (row - rows.lowerBound) * sliverWidth, 0)
            }
            var remaining = count, source = offset
            while remaining > 0 {
                let piece = min(remaining, sliverWidth - filled)
                let target = sliver + filled
                if let start = source {
                    if step == 1 {
                        Self.copy(piece, from: input + start, to: target)
                    } else {
                        for index in 0..<piece { target[index] = input[start + index * step] }
                    }
                    source = start + piece * step
                } else {
                    Self.copy(piece, from: nil, to: target)
                }
                remaining -= piece
                filled += piece
                if filled == sliverWidth { (sliver, filled) = (sliver + sliverWidth * depth, 0) }
            }
        }
    }

    /// Copies `count` floats from `source`, or zeroes them if `source` is nil, eight
    /// lanes at a time: pieces are at most a sliver wide, too short for a memmove call.
    @inline(__always)
    private static func copy(_ count: Int, from source: UnsafePointer<Float>?, to target: UnsafeMutablePointer<Float>) {
        typealias Vector = SIMD8<Float>
        let to = UnsafeMutableRawPointer(target)
        var index = 0
        if let source {
            let from = UnsafeRawPointer(source)
            while index &+ 8 <= count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: index &* 4, as: Vector.self), toByteOffset: index &* 4, as: Vector.self)
                index &+= 8
            }
            while index < count {
                target[index] = source[index]
                index &+= 1
            }
        } else {
            while index &+ 8 <= count {
                to.storeBytes(of: Vector(), toByteOffset: index &* 4, as: Vector.self)
                index &+= 8
            }
            while index < count {
                target[index] = 0
                index &+= 1
            }
        }
    }

    /// Writes the whole patchSize × outputPixels matrix, row-major, to `columns`.
    func unfold(into columns: UnsafeMutablePointer<Float>) {
        pack(rows: 0..<plan.patchSize, columns: 0..<plan.outputPixels, sliverWidth: plan.outputPixels, into: columns)
    }
}

/// The walk over the im2col matrix shared by packing and its adjoint, col2im.
extension ConvolutionPlan {
    /// Visits the block `rows` × `columns` of the patch matrix of one sample and
    /// group as runs along output rows, row by row and left to right: `count`
    /// consecutive columns from `column` of patch row `row` read the input from
    /// offset `input` on in steps of `step` elements, or are padding (`input` nil).
    /// Runs split where a row of taps enters and leaves the image.
    @inline(__always)
    func forEachRun(sample n: Int, group g: Int, rows: Range<Int>, columns: Range<Int>,
                    _ body: (_ row: Int, _ column: Int, _ input: Int?, _ count: Int, _ step: Int) -> Void) {
        guard !columns.isEmpty else { return }
        let taps = window.kernelHeight * window.kernelWidth, step = window.strideWidth
        let firstOutputRow = columns.lowerBound / outputWidth
        for row in rows {
            let c = row / taps, ki = (row % taps) / window.kernelWidth, kj = row % window.kernelWidth
            let channelBase = (n * inputChannels + g * channelsPerGroup + c) * height * width
            let shift = kj * window.dilationWidth - window.padLeft
            // Output columns ow with 0 ≤ ow·step + shift < width.
            let first = min(outputWidth, max(0, (-shift + step - 1) / step))
            let last = min(outputWidth, max(first, (width - shift + step - 1) / step))
            var column = columns.lowerBound, oh = firstOutputRow, ow = column - oh * outputWidth
            while column < columns.upperBound {
                let end = min(outputWidth, ow + columns.upperBound - column)
                let ih = oh * window.strideHeight - window.padTop + ki * window.dilationHeight
                if ih >= 0 && ih < height {
                    let low = min(max(first, ow), end), high = min(max(last, low), end)
                    if low > ow { body(row, column, nil, low - ow, step) }
                    if high > low { body(row, column + low - ow, channelBase + ih * width + low * step + shift, high - low, step) }
                    if end > high { body(row, column + high - ow, nil, end - high, step) }
                } else {
                    body(row, column, nil, end - ow, step)
                }
                column += end - ow
                (oh, ow) = (oh + 1, 0)
            }
        }
    }

    /// Adds a row-major patchSize × outputPixels matrix back onto the input
    /// positions of one sample and group it came from (the adjoint of im2col).
    func col2im(_ columns: UnsafePointer<Float>, sample: Int, group: Int, into input: UnsafeMutablePointer<Float>) {
        forEachRun(sample: sample, group: group, rows: 0..<patchSize, columns: 0..<outputPixels) { row, column, offset, count, step in
            guard let offset else { return }
            let source = columns + row * outputPixels + column
            for index in 0..<count { input[offset + index * step] += source[index] }
        }
    }
}
