extension Image {
    /// The image with `count` channels (1, 3 or 4), converted as Pillow's `Image.convert` does:
    /// to gray by ITU-R 601-2 luma, L = (19595 R + 38470 G + 7471 B + 2^15) / 2^16, exact in
    /// integers; from gray by repeating the sample; alpha dropped (not blended) or added as 255.
    public func converted(toChannels count: Int) -> Image {
        precondition(Self.channelCounts.contains(count), "an image has 1, 3 or 4 channels, not \(count)")
        guard count != channels else { return self }
        var result = [UInt8]()
        result.reserveCapacity(width * height * count)
        for start in stride(from: 0, to: pixels.count, by: channels) {
            let color = channels == 1 ? [UInt8](repeating: pixels[start], count: 3) : Array(pixels[start..<(start + 3)])
            switch count {
            case 1: result.append(Self.luma(color))
            case 3: result.append(contentsOf: color)
            default: result.append(contentsOf: color + [channels == 4 ? pixels[start + 3] : 255])
            }
        }
        return Image(width: width, height: height, channels: count, pixels: result)
    }

    /// The ITU-R 601-2 luma of a red, green, blue triple, rounded as Pillow rounds it.
    static func luma(_ color: [UInt8]) -> UInt8 {
        let weighted = 19595 * Int(color[0]) + 38470 * Int(color[1]) + 7471 * Int(color[2])
        return UInt8((weighted + 0x8000) >> 16)
    }
}
