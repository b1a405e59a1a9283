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
    /// Element (0, 0).
    public let base: UnsafePointer<Float>
    /// Floats from one row of B to the next.
    public let rowStride: Int
    /// Floats from one column of B to the next (1 for row-major B).
    public let columnStride: Int

    /// B with element (p, j) at `base[p·rowStride + j·columnStride]`.
    public init(base: UnsafePointer<Float>, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// Copies the block into panel layout (the packing of B in Goto & van de Geijn 2008),
    /// row by row with a plain copy where `columnStride` is 1.
    public func pack(rows: Range<Int>, columns: Range<Int>, sliverWidth: Int, into packed: UnsafeMutablePointer<Float>)
    {
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
/// without packing B (the indirect convolution of Dukhan 2019, "The indirect
/// convolution algorithm", with one offset per row of B where Dukhan keeps one
/// pointer per patch row).
public struct OffsetRowsMatrix: PanelSource {
    /// Where column 0 of a row starts, before the row's offset.
    public let base: UnsafePointer<Float>
    /// Row p's offset from `base` in floats, for every row of B.
    public let rowOffsets: UnsafePointer<Int>
    /// Columns in one segment (an output row).
    public let segmentWidth: Int
    /// Floats from one segment to the next.
    public let segmentStride: Int

    /// B with column `r·segmentWidth + x` of row p at `base[rowOffsets[p] + r·segmentStride + x]`.
    public init(base: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>, segmentWidth: Int, segmentStride: Int) {
        (self.base, self.rowOffsets, self.segmentWidth, self.segmentStride) = (
            base, rowOffsets, segmentWidth, segmentStride
        )
    }

    /// Where column j starts, before a row's offset: element (p, j) is at `columnStart(j) + rowOffsets[p]`.
    @inline(__always)
    func columnStart(_ j: Int) -> UnsafePointer<Float> {
        let (segment, x) = j.quotientAndRemainder(dividingBy: segmentWidth)
        return base + segment * segmentStride + x
    }

    /// Copies the block into panel layout, in runs that stay within one segment and
    /// one sliver (where ``PackedGEMM`` cannot read B in place, as in the portable path).
    public func pack(rows: Range<Int>, columns: Range<Int>, sliverWidth: Int, into packed: UnsafeMutablePointer<Float>)
    {
        let depth = rows.count
        for (p, row) in rows.enumerated() {
            // Runs that stay within one segment and one sliver are contiguous on both sides.
            var column = columns.lowerBound
            while column < columns.upperBound {
                let (sliver, within) = (column - columns.lowerBound).quotientAndRemainder(dividingBy: sliverWidth)
                let x = column % segmentWidth
                let count = min(sliverWidth - within, segmentWidth - x, columns.upperBound - column)
                (packed + sliver * sliverWidth * depth + p * sliverWidth + within).update(
                    from: columnStart(column) + rowOffsets[row], count: count)
                column += count
            }
        }
    }
}
