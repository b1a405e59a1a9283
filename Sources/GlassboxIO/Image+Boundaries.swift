extension Image {
    /// The image, as RGB (gray repeated, alpha dropped), with the outlines of `segmentation`'s
    /// segments painted in `color` (red, green, blue; yellow by default) — scikit-image's
    /// `skimage.segmentation.mark_boundaries(image, labels)` with its defaults: `mode='outer'`,
    /// `background_label=0`, `color=(1, 1, 0)`, no `outline_color`.
    ///
    /// With `segments`, only the outline of those segments is drawn, as LIME shows an explanation
    /// (`get_image_and_mask(..., hide_rest=False)` then `mark_boundaries(image, mask)`): the labels
    /// become a mask, 1 on the chosen segments and 0 elsewhere, so the pixels just outside the
    /// chosen region are painted and the borders between two chosen segments are not.
    ///
    /// `find_boundaries(mode='outer')` paints a pixel whose 4-neighbourhood holds two labels if it
    /// is background (label 0), or if its 8-neighbourhood touches a second non-background label
    /// (where two segments other than 0 meet, both sides are painted); a pixel of a non-background
    /// segment that touches only the background is left alone. Skimage's morphology reflects at the
    /// image border, so pixels outside the image never count as neighbours. The result equals
    /// `img_as_ubyte(mark_boundaries(...))` exactly.
    ///
    /// - Precondition: `segmentation` is `height`×`width` and `color` has 3 samples.
    public func markingBoundaries(
        of segmentation: Segmentation, segments: Set<Int>? = nil, color: [UInt8] = [255, 255, 0]
    ) -> Image {
        precondition(
            segmentation.height == height && segmentation.width == width,
            "a \(segmentation.height)×\(segmentation.width) segmentation of a \(height)×\(width) image")
        precondition(color.count == 3, "a boundary colour has 3 samples (red, green, blue), not \(color.count)")
        let labels = segments.map { chosen in segmentation.labels.map { chosen.contains($0) ? 1 : 0 } }
        var marked = converted(toChannels: 3)
        for (pixel, isBoundary) in Self.outerBoundaries(labels ?? segmentation.labels, width: width).enumerated()
        where isBoundary {
            marked.pixels.replaceSubrange((pixel * 3)..<(pixel * 3 + 3), with: color)
        }
        return marked
    }

    /// skimage's `find_boundaries(labels, mode='outer', background=0)` for a row-major label image
    /// `width` pixels wide (see ``markingBoundaries(of:segments:color:)``).
    static func outerBoundaries(_ labels: [Int], width: Int) -> [Bool] {
        let height = labels.count / width
        /// The labels over the pixel's neighbourhood (4- or 8-connected, the pixel included).
        func neighbourhood(_ pixel: Int, diagonals: Bool, _ values: [Int]) -> [Int] {
            let (y, x) = (pixel / width, pixel % width)
            var result = [Int]()
            for row in max(y - 1, 0)...min(y + 1, height - 1) {
                for column in max(x - 1, 0)...min(x + 1, width - 1)
                where diagonals || row == y || column == x {
                    result.append(values[row * width + column])
                }
            }
            return result
        }
        let backgroundRaised = labels.map { $0 == 0 ? Int.max : $0 }
        return labels.indices.map { pixel in
            let cross = neighbourhood(pixel, diagonals: false, labels)
            guard cross.min() != cross.max() else { return false }
            if labels[pixel] == 0 { return true }
            return neighbourhood(pixel, diagonals: true, labels).max()
                != neighbourhood(pixel, diagonals: true, backgroundRaised).min()
        }
    }
}
