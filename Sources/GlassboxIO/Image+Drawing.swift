extension Image {
    /// Fills the rectangle at (`x`, `y`) of `width`×`height` pixels, clipped to the image, with
    /// `color` (one sample per channel).
    mutating func fill(x: Int, y: Int, width fillWidth: Int, height fillHeight: Int, color: [UInt8]) {
        precondition(color.count == channels, "a colour of \(color.count) samples for an image of \(channels) channels")
        for row in Self.visible(start: y, length: fillHeight, limit: height) {
            for column in Self.visible(start: x, length: fillWidth, limit: width) {
                let start = ((y + row) * width + x + column) * channels
                pixels.replaceSubrange(start..<(start + channels), with: color)
            }
        }
    }

    /// Copies `image` (of the same channel count) with its top-left corner at (`x`, `y`),
    /// clipped to this image.
    mutating func paste(_ image: Image, x: Int, y: Int) {
        precondition(image.channels == channels, "pasting \(image.channels) channels into \(channels)")
        let columns = Self.visible(start: x, length: image.width, limit: width)
        for row in Self.visible(start: y, length: image.height, limit: height) {
            let source = (row * image.width + columns.lowerBound) * channels
            let target = ((y + row) * width + x + columns.lowerBound) * channels
            pixels.replaceSubrange(
                target..<(target + columns.count * channels),
                with: image.pixels[source..<(source + columns.count * channels)])
        }
    }

    /// Draws `text` with its top-left corner at (`x`, `y`) in `color`, clipped to the image.
    mutating func draw(_ text: BitmapFontText, x: Int, y: Int, color: [UInt8]) {
        for rectangle in text.rectangles {
            fill(x: x + rectangle.x, y: y + rectangle.y, width: rectangle.width, height: rectangle.height, color: color)
        }
    }

    /// The offsets in 0..<`length` whose position `start` + offset lies in 0..<`limit`.
    static func visible(start: Int, length: Int, limit: Int) -> Range<Int> {
        let lower = max(0, -start), upper = min(length, limit - start)
        return lower..<max(lower, upper)
    }
}
