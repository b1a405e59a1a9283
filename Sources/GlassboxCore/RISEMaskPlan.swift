/// The geometry of RISE's random masks (Petsiuk, Das & Saenko 2018, "RISE: Randomized
/// input sampling for explanation of black-box models"), as the reference code's
/// `generate_masks` (github.com/eclique/RISE, `explanations.py`) makes them, validated
/// once and shared by every backend.
///
/// Mask n is a `cells × cells` grid of 0/1 cells upsampled bilinearly to
/// `(cells + 1)·cellHeight × (cells + 1)·cellWidth` (``upsampledHeight`` ×
/// ``upsampledWidth``) and cut to a `height × width` window at a random shift of less
/// than one cell. Its ``drawsPerMask`` uniform draws are those at
/// `stream.offset + n·drawsPerMask + k`: the grid row-major for k < cells², then the row
/// and the column shift. Every backend computes the upsampling in the same float32
/// operations (``tap(_:upsampledSize:)``), so the masks are bit-identical everywhere.
public struct RISEMaskPlan: Hashable, Sendable {
    /// The mask height.
    public let height: Int
    /// The mask width.
    public let width: Int
    /// The grid's cells along each axis (RISE's `s`).
    public let cells: Int
    /// The probability that a grid cell is 1 (RISE's `p1`).
    public let probability: Float
    /// The mask numbers made: chunks of one range give the same masks as the whole range.
    public let samples: Range<Int>

    /// Checks the arguments of `riseMasks`.
    ///
    /// Throws ``GlassboxError/invalidArgument(_:)`` for non-positive sizes, `cells` < 1,
    /// a probability outside [0, 1] (or NaN), and empty or negative `samples`.
    public init(height: Int, width: Int, cells: Int, probability: Float, samples: Range<Int>) throws {
        guard height > 0, width > 0, cells >= 1 else {
            throw GlassboxError.invalidArgument(
                "riseMasks needs a positive height and width and at least one cell, got \(height)×\(width) "
                    + "and \(cells) cells")
        }
        guard probability >= 0, probability <= 1 else {
            throw GlassboxError.invalidArgument("riseMasks probability \(probability) is not in [0, 1]")
        }
        guard !samples.isEmpty, samples.lowerBound >= 0 else {
            throw GlassboxError.invalidArgument("riseMasks samples \(samples) are empty or negative")
        }
        self.height = height
        self.width = width
        self.cells = cells
        self.probability = probability
        self.samples = samples
    }

    /// The shape `(samples.count, 1, height, width)` of the masks.
    public var shape: Shape { [samples.count, 1, height, width] }
    /// The uniform draws of one mask: cells² for the grid, then the row and the column shift.
    public var drawsPerMask: Int { cells * cells + 2 }
    /// The height of one cell, `⌈height/cells⌉` (RISE's `cell_size[0]`).
    public var cellHeight: Int { (height + cells - 1) / cells }
    /// The width of one cell, `⌈width/cells⌉` (RISE's `cell_size[1]`).
    public var cellWidth: Int { (width + cells - 1) / cells }
    /// The height of the upsampled grid, `(cells + 1)·cellHeight` (RISE's `up_size[0]`).
    public var upsampledHeight: Int { (cells + 1) * cellHeight }
    /// The width of the upsampled grid, `(cells + 1)·cellWidth` (RISE's `up_size[1]`).
    public var upsampledWidth: Int { (cells + 1) * cellWidth }

    /// The stream of the masks' draws: `stream` advanced to the first draw of mask
    /// `samples.lowerBound`, wrapping modulo 2⁶⁴ as draw numbers do. Draw
    /// `(n − samples.lowerBound)·drawsPerMask + k` of it is draw k of mask n.
    public func draws(of stream: RandomStream) -> RandomStream {
        RandomStream(
            seed: stream.seed, stream: stream.stream,
            offset: stream.offset &+ UInt64(samples.lowerBound) &* UInt64(drawsPerMask))
    }

    /// A shift of less than one cell from a uniform draw in (0, 1): `⌊draw·cellSize⌋` in
    /// float32, as `np.random.randint(0, cell_size)`. It stays below `cellSize`: a draw
    /// is at most 1 − 2⁻²⁴, and `(1 − 2⁻²⁴)·c` rounds below c for every integer c.
    public static func shift(_ draw: Float, cellSize: Int) -> Int {
        Int((draw * Float(cellSize)).rounded(.down))
    }

    /// The bilinear tap of index `index` of an axis upsampled from ``cells`` to
    /// `upsampledSize`, as scikit-image's `resize(…, order=1, mode='reflect',
    /// anti_aliasing=False)` (scipy.ndimage's `zoom` with `grid_mode=True`, mode 'mirror')
    /// computes it: the source coordinate `(index + 0.5)·cells/upsampledSize − 0.5`,
    /// mirrored into `[0, cells − 1]` (−t ↦ t, (cells − 1) + t ↦ (cells − 1) − t), split
    /// into the cells `low` and `high` = `min(low + 1, cells − 1)` and the weight of
    /// `high`. In float32 operations in this order; scipy computes in Float64, so values
    /// differ from scikit-image's by a float32 rounding.
    public func tap(_ index: Int, upsampledSize: Int) -> (low: Int, high: Int, weight: Float) {
        let last = Float(cells - 1)
        var source = (Float(index) + 0.5) * Float(cells) / Float(upsampledSize) - 0.5
        if source < 0 { source = -source }
        if source > last { source = last - (source - last) }
        // One cell: the mirror maps every coordinate to 0.
        if source < 0 { source = 0 }
        let low = source.rounded(.down)
        return (Int(low), min(Int(low) + 1, cells - 1), source - low)
    }

    /// The bilinear value between the grid cells `v00` (low row, low column), `v01`,
    /// `v10` and `v11` (high row, high column) with the weights of the high row and
    /// column of two ``tap(_:upsampledSize:)``s: along the row first, then between the
    /// rows, in float32 operations in this order.
    public static func interpolate(
        _ v00: Float, _ v01: Float, _ v10: Float, _ v11: Float, rowWeight: Float, columnWeight: Float
    ) -> Float {
        let top = v00 * (1 - columnWeight) + v01 * columnWeight
        let bottom = v10 * (1 - columnWeight) + v11 * columnWeight
        return top * (1 - rowWeight) + bottom * rowWeight
    }
}
