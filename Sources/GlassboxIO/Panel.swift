import Foundation

/// A grid of images for comparing explanations side by side: rows × columns of tiles, each
/// scaled with nearest-neighbour sampling to one tile size (so 8×8 digits stay crisp), with
/// titles above the columns and labels left of the rows, in black on white.
///
/// Captions use stb_easy_font's bitmap font (printable ASCII; a newline starts a new line),
/// enlarged ``textScale`` times. A column is as wide as its tile or its widest title, whichever
/// is wider; rows may be shorter than others, and missing tiles, titles and labels are left blank.
public struct Panel: Sendable {
    /// The tiles, row by row; nil leaves a tile blank.
    public var tiles: [[Image?]]
    /// One title per column, from the left.
    public var columnTitles: [String]
    /// One label per row, from the top.
    public var rowLabels: [String]
    /// The height every tile is scaled to, in pixels.
    public var tileHeight: Int
    /// The width every tile is scaled to, in pixels.
    public var tileWidth: Int
    /// The white space between tiles, and around captions and the edges, in pixels.
    public var gap: Int
    /// How many times the font's pixels are enlarged (glyphs are about 5×7 pixels at 1).
    public var textScale: Int

    /// A panel; tile sizes and `textScale` must be positive and `gap` not negative.
    public init(
        tiles: [[Image?]], columnTitles: [String] = [], rowLabels: [String] = [],
        tileHeight: Int = 96, tileWidth: Int = 96, gap: Int = 4, textScale: Int = 2
    ) {
        self.tiles = tiles
        self.columnTitles = columnTitles
        self.rowLabels = rowLabels
        self.tileHeight = tileHeight
        self.tileWidth = tileWidth
        self.gap = gap
        self.textScale = textScale
    }

    /// The panel drawn as an RGB image.
    public func image() -> Image {
        precondition(
            tileHeight > 0 && tileWidth > 0 && gap >= 0 && textScale > 0,
            "a panel needs positive tile sizes and text scale and a non-negative gap")
        let titles = columnTitles.map { BitmapFontText($0, scale: textScale) }
        let labels = rowLabels.map { BitmapFontText($0, scale: textScale) }
        let rows = max(tiles.count, labels.count), columns = max(tiles.map(\.count).max() ?? 0, titles.count)
        let columnWidth = max(tileWidth, titles.map(\.width).max() ?? 0)
        let left = labels.isEmpty ? 0 : gap + (labels.map(\.width).max() ?? 0)
        let top = titles.isEmpty ? 0 : gap + (titles.map(\.height).max() ?? 0)
        func columnX(_ column: Int) -> Int { left + gap + column * (columnWidth + gap) }
        func rowY(_ row: Int) -> Int { top + gap + row * (tileHeight + gap) }

        let white: [UInt8] = [255, 255, 255], black: [UInt8] = [0, 0, 0]
        var canvas = Image(width: max(columnX(columns), 1), height: max(rowY(rows), 1), color: white)
        for (column, title) in titles.enumerated() {
            canvas.draw(title, x: columnX(column) + (columnWidth - title.width) / 2, y: gap, color: black)
        }
        for (row, label) in labels.enumerated() {
            canvas.draw(label, x: gap, y: rowY(row) + (tileHeight - label.height) / 2, color: black)
        }
        for (row, images) in tiles.enumerated() {
            for (column, tile) in images.enumerated() {
                guard let tile else { continue }
                let scaled = tile.converted(toChannels: 3).resized(
                    height: tileHeight, width: tileWidth, resampling: .nearest)
                canvas.paste(scaled, x: columnX(column) + (columnWidth - tileWidth) / 2, y: rowY(row))
            }
        }
        return canvas
    }

    /// Writes the panel to `url` as a PNG file, atomically (see ``Image/writePNG(to:)``).
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the file cannot be written.
    public func writePNG(to url: URL) throws {
        try image().writePNG(to: url)
    }
}
