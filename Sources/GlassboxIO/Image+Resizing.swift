import GlassboxCore

extension Image {
    /// The image resized to `height`×`width` pixels (both positive), sample values rounded to
    /// the nearest level.
    ///
    /// `resampling` places the samples as PyTorch's `F.interpolate` does (`align_corners=False`).
    /// With `antialias` (the default), bilinear downscaling averages over every input pixel under
    /// the output pixel, as `F.interpolate(..., antialias=True)` and torchvision's `Resize` do;
    /// without it, bilinear reads only the two nearest input pixels per axis and aliases when
    /// shrinking by more than 2. Upscaling is the same either way; `antialias` does not apply to
    /// `.nearest`.
    public func resized(
        height newHeight: Int, width newWidth: Int, resampling: Resampling = .bilinear, antialias: Bool = true
    ) -> Image {
        let values = Self.resample(
            planes(), planes: channels, height: height, width: width,
            newHeight: newHeight, newWidth: newWidth, resampling: resampling, antialias: antialias)
        return Image(planes: values, channels: channels, height: newHeight, width: newWidth)
    }

    /// `values`, `planes` planes of `height`×`width`, resized to `newHeight`×`newWidth` each as
    /// ``resized(height:width:resampling:antialias:)`` describes.
    static func resample(
        _ values: [Float], planes: Int, height: Int, width: Int, newHeight: Int, newWidth: Int,
        resampling: Resampling, antialias: Bool
    ) -> [Float] {
        precondition(newHeight > 0 && newWidth > 0, "cannot resize to \(newHeight)×\(newWidth)")
        if newHeight == height && newWidth == width { return values }
        guard antialias && resampling == .bilinear else {
            return resampling.resize(
                values, planes: planes, height: height, width: width, newHeight: newHeight, newWidth: newWidth)
        }
        let horizontal = filter(
            values, outer: planes * height, length: width, inner: 1, taps: antialiasedTaps(from: width, to: newWidth))
        return filter(
            horizontal, outer: planes, length: height, inner: newWidth,
            taps: antialiasedTaps(from: height, to: newHeight))
    }

    /// PyTorch's antialiasing weights for the triangle (bilinear) filter along one axis
    /// (`_compute_weights_aa` in ATen): the filter is widened by the scale factor when shrinking,
    /// so each output sample averages every input sample it covers, and normalised to sum 1.
    static func antialiasedTaps(from size: Int, to newSize: Int) -> [(start: Int, weights: [Float])] {
        let scale = Float(size) / Float(newSize)
        let support = max(scale, 1), inverseScale = scale >= 1 ? 1 / scale : 1
        return (0..<newSize).map { index in
            let center = scale * (Float(index) + 0.5)
            let start = max(Int(center - support + 0.5), 0), end = min(Int(center + support + 0.5), size)
            let weights = (start..<end).map { max(0, 1 - abs((Float($0) - center + 0.5) * inverseScale)) }
            let total = weights.reduce(0, +)
            return (start, total == 0 ? weights : weights.map { $0 / total })
        }
    }

    /// `values` filtered along one axis: they are `outer` blocks of `length` steps along the axis,
    /// each step `inner` contiguous values; the axis shrinks or grows to `taps.count` steps.
    static func filter(_ values: [Float], outer: Int, length: Int, inner: Int, taps: [(start: Int, weights: [Float])])
        -> [Float]
    {
        var result = [Float](repeating: 0, count: outer * taps.count * inner)
        for block in 0..<outer {
            for (index, tap) in taps.enumerated() {
                let target = (block * taps.count + index) * inner
                for (offset, weight) in tap.weights.enumerated() {
                    let source = (block * length + tap.start + offset) * inner
                    for element in 0..<inner {
                        result[target + element] += weight * values[source + element]
                    }
                }
            }
        }
        return result
    }
}
