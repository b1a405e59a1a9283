import GlassboxCore

/// A segmentation into a regular grid of ``rows``×``columns`` rectangular cells, as even as
/// possible: row band `r` covers image rows `⌊r·H/rows⌋ ..< ⌊(r+1)·H/rows⌋` (so band heights differ
/// by at most one), columns likewise, and cell (r, c) is segment `r · columns + c`.
///
/// Not one of LIME's segmenters: a baseline that ignores the image's content, for comparing
/// explanations by superpixels with explanations by square patches.
public struct RegularGrid: Sendable, Equatable {
    /// Cells down the image.
    public var rows: Int
    /// Cells across the image.
    public var columns: Int

    /// A grid of `rows`×`columns` cells.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// The grid over `image`.
    ///
    /// - Throws: `GlassboxError.invalidArgument` if ``rows`` or ``columns`` is below 1 or exceeds
    ///   the image's height or width (a cell would be empty).
    public func segment(_ image: Image) throws -> Segmentation {
        guard (1...image.height).contains(rows), (1...image.width).contains(columns) else {
            throw GlassboxError.invalidArgument(
                "a \(rows)×\(columns) grid does not fit a \(image.height)×\(image.width) image "
                    + "(1 to its size per axis)")
        }
        let labels = (0..<(image.height * image.width)).map { pixel in
            let (y, x) = (pixel / image.width, pixel % image.width)
            return Self.band(of: y, cells: rows, length: image.height) * columns
                + Self.band(of: x, cells: columns, length: image.width)
        }
        return try Segmentation(height: image.height, width: image.width, labels: labels)
    }

    /// The band holding `position` when `length` is cut into `cells` bands at `⌊i·length/cells⌋`.
    static func band(of position: Int, cells: Int, length: Int) -> Int {
        ((position + 1) * cells - 1) / length
    }
}
