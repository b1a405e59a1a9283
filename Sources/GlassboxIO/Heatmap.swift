import GlassboxCore

/// An attribution map made ready for display: one value per pixel, reduced over the channels
/// and normalised by a high percentile, so a few extreme pixels do not wash out the rest.
///
/// Unsigned maps are divided by the `percentile`-th percentile of their values and clipped to
/// 0…1; signed maps are divided by the percentile of their magnitudes and clipped to −1…1, so 0
/// stays 0 (the middle of a diverging colormap). Percentiles interpolate linearly between the
/// sorted values (numpy's default). When that percentile is 0 (a map that is mostly zeros) the
/// largest value (magnitude) is used instead; a map that is all zeros (or, unsigned, has no
/// positive value) stays all zeros, so it draws as one uniform colour, never as NaN.
public struct Heatmap: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Whether ``values`` are magnitudes in 0…1 or signed values in −1…1.
    public let polarity: Polarity
    /// The normalised values, row by row.
    public let values: [Float]

    /// The heatmap of `attribution`, an array shaped C×H×W, 1×C×H×W or H×W.
    ///
    /// - Parameters:
    ///   - attribution: the values to show, shaped C×H×W, 1×C×H×W or H×W.
    ///   - reduction: how channels are combined (``ChannelReduction/maxAbsolute`` by default).
    ///   - polarity: ``Polarity/unsigned`` (the default) or ``Polarity/signed``.
    ///   - percentile: the percentile that maps to 1 (or ±1), in (0, 100]; 99 by default.
    /// - Throws: `GlassboxError.shapeMismatch(_:)` for another shape,
    ///   `GlassboxError.invalidArgument(_:)` for a percentile outside (0, 100] or an attribution
    ///   holding NaN or infinite values.
    public init(
        attribution: NumpyArray, reduction: ChannelReduction = .maxAbsolute, polarity: Polarity = .unsigned,
        percentile: Float = 99
    ) throws {
        let (planes, height, width) = try attribution.planeDimensions()
        guard percentile > 0 && percentile <= 100 else {
            throw GlassboxError.invalidArgument("the heatmap percentile must be in (0, 100], not \(percentile)")
        }
        guard attribution.values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidArgument("the attribution holds NaN or infinite values")
        }
        let reduced = reduction.reduce(attribution.values, planes: planes, planeSize: height * width)
        let magnitudes = polarity == .signed ? reduced.map(abs) : reduced
        let percentileValue = Self.percentile(magnitudes, percentile)
        let scale = percentileValue > 0 ? percentileValue : magnitudes.max() ?? 0
        self.init(
            width: width, height: height, polarity: polarity,
            values: reduced.map { scale > 0 ? min(max($0 / scale, polarity.lowerBound), 1) : 0 })
    }

    /// The `percentile`-th percentile of `values` (not empty), interpolating linearly between
    /// the two nearest sorted values, as `numpy.percentile` does by default.
    static func percentile(_ values: [Float], _ percentile: Float) -> Float {
        let sorted = values.sorted()
        let position = Double(percentile) / 100 * Double(sorted.count - 1)
        let low = Int(position), high = min(low + 1, sorted.count - 1)
        return sorted[low] + Float(position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// The heatmap drawn in `colormap` (by default the polarity's: ``Colormap/viridis`` for
    /// unsigned maps, ``Colormap/redBlue`` for signed maps, whose −1…1 maps onto the colormap's
    /// 0…1 so that 0 sits in its middle), as an RGB image of the heatmap's size.
    public func image(colormap: Colormap? = nil) -> Image {
        let colormap = colormap ?? polarity.defaultColormap
        let pixels = values.flatMap { value in
            let color = colormap.color(at: polarity == .signed ? (value + 1) / 2 : value)
            return [color.x, color.y, color.z]
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// The heatmap (as ``image(colormap:)`` draws it) blended over `image` converted to gray:
    /// each sample is (1 − `alpha`) · gray + `alpha` · heatmap, rounded. A heatmap of another size
    /// than `image` is first resized to it (bilinear, antialiased when shrinking).
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` if `alpha` is outside 0…1.
    public func overlay(on image: Image, alpha: Float = 0.5, colormap: Colormap? = nil) throws -> Image {
        guard alpha >= 0 && alpha <= 1 else {
            throw GlassboxError.invalidArgument("the overlay alpha must be in 0…1, not \(alpha)")
        }
        let resized = Image.resample(
            values, planes: 1, height: height, width: width, newHeight: image.height,
            newWidth: image.width, resampling: .bilinear, antialias: true)
        let heat = Heatmap(width: image.width, height: image.height, polarity: polarity, values: resized).image(
            colormap: colormap)
        let gray = image.converted(toChannels: 1).pixels
        let pixels = heat.pixels.enumerated().map { index, sample in
            UInt8(((1 - alpha) * Float(gray[index / 3]) + alpha * Float(sample)).rounded(.toNearestOrAwayFromZero))
        }
        return Image(width: image.width, height: image.height, channels: 3, pixels: pixels)
    }

    /// A heatmap of already normalised values.
    init(width: Int, height: Int, polarity: Polarity, values: [Float]) {
        self.width = width
        self.height = height
        self.polarity = polarity
        self.values = values
    }
}
