extension Image {
    /// The samples as `channels` planes of `height`×`width` floats (channel-major, CHW), in 0…255.
    func planes() -> [Float] {
        let planeSize = width * height
        var result = [Float](repeating: 0, count: pixels.count)
        for (index, sample) in pixels.enumerated() {
            result[index % channels * planeSize + index / channels] = Float(sample)
        }
        return result
    }

    /// An image from `channels` planes of `height`×`width` floats (channel-major, CHW), each
    /// multiplied by `scale`, clamped to 0…255 and rounded to the nearest level (NaN reads as 0).
    init(planes: [Float], channels: Int, height: Int, width: Int, scale: Float = 1) {
        let planeSize = width * height
        let pixels = (0..<(planeSize * channels)).map { index in
            let value = planes[index % channels * planeSize + index / channels] * scale
            return value.isNaN ? 0 : UInt8(min(max(value, 0), 255).rounded(.toNearestOrAwayFromZero))
        }
        self.init(width: width, height: height, channels: channels, pixels: pixels)
    }
}
