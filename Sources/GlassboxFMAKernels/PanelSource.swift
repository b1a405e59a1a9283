/// The right-hand operand B of a packed matrix product, seen only through the
/// blocks it copies into panel layout, so B need not exist as one matrix: a
/// convolution's im2col patches are copied from a padded image (the "implicit
/// im2col" of Chetlur et al. 2014, "cuDNN: efficient primitives for deep
/// learning"), or read in place by ``PackedGEMM`` where they are contiguous.
///
/// Panel layout cuts a block of `depth = rows.count` rows into slivers of
/// `sliverWidth` columns; element (p, j) of the block, counted from the block's
/// corner, sits at `(j / sliverWidth)·sliverWidth·depth + p·sliverWidth + j % sliverWidth`.
/// A sliver as wide as the block is a plain row-major panel.
public protocol PanelSource {
    /// Writes element (p, j) of B for every p in `rows` and j in `columns` at its
    /// panel-layout place in `packed`. Columns past the block's end are left to the caller.
    func pack(rows: Range<Int>, columns: Range<Int>, sliverWidth: Int, into packed: UnsafeMutablePointer<Float>)
}

/// B held in memory, element (p, j) at `base[p·rowStride + j·columnStride]`
/// (a row-major matrix, or with the strides swapped its transpose).
public struct StridedMatrix: PanelSource {
    public let base: UnsafePointer<Float>
    public let rowStride: Int
    public let columnStride: Int

    public init(base: UnsafePointer<Float>, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    public func pack(rows: Range<Int>, columns: Range<Int>, sliverWidth: Int, into packed: UnsafeMutablePointer<Float>) {
        let depth = rows.count
        for sliver in stride(from: 0, to: columns.count, by: sliverWidth) {
            let target = packed + sliver * depth
            let width = min(sliverWidth, columns.count - sliver)
            for (p, row) in rows.enumerated() {
                let source = base + row * rowStride + (columns.lowerBound + sliver) * columnStride
                let destination = target + p * sliverWidth
                if columnStride == 1 {
                    destination.update(from: source, count: width)
                } else {
                    for j in 0..<width { destination[j] = source[j * columnStride] }
                }
            }
        }
    }
}

/// B read in place: its columns come in segments of `segmentWidth`, and column
/// `j = r·segmentWidth + x` of row p is at `base[rowOffsets[p] + r·segmentStride + x]`.
/// These are the patches of a convolution with unit horizontal stride read straight
/// from a zero-padded image: row p (input channel, kernel row, kernel column)
/// shifts the image, a segment is one output row, so ``PackedGEMM`` multiplies
/// without packing B.
public struct OffsetRowsMatrix: PanelSource {
    public let base: UnsafePointer<Float>
    public let rowOffsets: UnsafePointer<Int>
    public let segmentWidth: Int
    public let segmentStride: Int

    public init(base: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>, segmentWidth: Int, segmentStride: Int) {
        (self.base, self.rowOffsets, self.segmentWidth, self.segmentStride) = (base, rowOffsets, segmentWidth, segmentStride)
    }

    /// Where column j starts, before a row's offset: element (p, j) is at `columnStart(j) + rowOffsets[p]`.
    @inline(__always)
    func columnStart(_ j: Int) -> UnsafePointer<Float> {
        let (segment, x) = j.quotientAndRemainder(dividingBy: segmentWidth)
        return base + segment * segmentStride + x
    }

    public func pack(rows: Range<Int>, columns: Range<Int>, sliverWidth: Int, into packed: UnsafeMutablePointer<Float>) {
        let depth = rows.count
        for (p, row) in rows.enumerated() {
            // Runs that stay within one segment and one sliver are contiguous on both sides.
            var column = columns.lowerBound
            while column < columns.upperBound {
                let (sliver, within) = (column - columns.lowerBound).quotientAndRemainder(dividingBy: sliverWidth)
                let x = column % segmentWidth
                let count = min(sliverWidth - within, segmentWidth - x, columns.upperBound - column)
                (packed + sliver * sliverWidth * depth + p * sliverWidth + within).update(from: columnStart(column) + rowOffsets[row], count: count)
                column += count
            }
        }
    }
}
