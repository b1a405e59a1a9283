/// An 8-bit raster image: `height` rows of `width` pixels, top row first, each pixel `channels`
/// interleaved samples — 1 (gray), 3 (red, green, blue) or 4 (red, green, blue, alpha).
///
/// Read one with ``read(from:)``, write it with ``writePNG(to:)``, turn it into a model input
/// with ``chwArray(_:)`` and back with ``init(chwArray:)``.
public struct Image: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Samples per pixel: 1, 3 or 4.
    public let channels: Int
    /// The samples, row by row, pixel by pixel, channel by channel:
    /// sample c of pixel (x, y) is at `(y * width + x) * channels + c`.
    public internal(set) var pixels: [UInt8]

    /// The channel counts an image can have: gray, RGB and RGBA.
    public static let channelCounts = [1, 3, 4]

    /// An image from its interleaved samples; `width` and `height` must be positive, `channels`
    /// one of ``channelCounts`` and `pixels.count` equal `width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(
            width > 0 && height > 0 && Self.channelCounts.contains(channels)
                && pixels.count == width * height * channels,
            "\(pixels.count) samples do not make a \(width)×\(height) image of \(channels) channels")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image of one colour, whose sample count (1, 3 or 4) sets the channels.
    public init(width: Int, height: Int, color: [UInt8]) {
        self.init(
            width: width, height: height, channels: color.count,
            pixels: Array([[UInt8]](repeating: color, count: max(width * height, 0)).joined()))
    }

    /// The samples of the pixel in column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> ArraySlice<UInt8> {
        let start = (y * width + x) * channels
        return pixels[start..<(start + channels)]
    }
}
