import GlassboxCore

/// A square of bright pixels planted in a corner of 8×8 digits: a shortcut a
/// model can learn instead of the digit's shape, as the watermarks and
/// source tags of Lapuschkin et al. 2019 ("Unmasking Clever Hans predictors
/// and assessing what machines really learn") and the uniform backgrounds of
/// Ribeiro et al. 2016 ("Why should I trust you?").
public struct Watermark: Hashable, Sendable {
    /// The top-left pixel of the square.
    public var row: Int
    public var column: Int
    /// The side of the square in pixels.
    public var size: Int
    /// The value the square's pixels are set to (digits are scaled to 0…1).
    public var value: Float

    /// A `size`×`size` square at (`row`, `column`) of pixels set to `value`.
    public init(row: Int = 0, column: Int = 0, size: Int = 2, value: Float = 1) {
        precondition(
            row >= 0 && column >= 0 && size > 0 && row + size <= 8 && column + size <= 8,
            "the watermark must lie inside the 8×8 image")
        self.row = row
        self.column = column
        self.size = size
        self.value = value
    }

    /// The row-major indices of the square's pixels in an 8×8 image.
    public var pixelIndices: [Int] {
        (row..<(row + size)).flatMap { r in (column..<(column + size)).map { r * 8 + $0 } }
    }

    /// `image` (64 pixels) with the square planted.
    public func planted(in image: ArraySlice<Float>) -> [Float] {
        var result = Array(image)
        for index in pixelIndices { result[index] = value }
        return result
    }
}

extension DigitsDataset {
    /// The data set with `watermark` planted in every image whose label satisfies `isMarked`.
    public func watermarked(_ watermark: Watermark, where isMarked: (Int) -> Bool) -> DigitsDataset {
        let marked = labels.indices.flatMap { index in
            let image = images[(index * Self.pixelsPerImage)..<((index + 1) * Self.pixelsPerImage)]
            return isMarked(labels[index]) ? watermark.planted(in: image) : Array(image)
        }
        return DigitsDataset(images: marked, labels: labels)
    }
}
