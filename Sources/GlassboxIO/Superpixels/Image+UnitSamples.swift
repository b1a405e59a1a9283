extension Image {
    /// The colour samples as float64 in 0…1, `v · (1/255)` as scikit-image's `img_as_float` makes
    /// them, pixel by pixel: three per pixel for RGB and RGBA (alpha is dropped), one for gray.
    func unitSamples() -> (values: [Double], channels: Int) {
        let colors = channels == 4 ? converted(toChannels: 3) : self
        return (colors.pixels.map { Double($0) * (1.0 / 255) }, colors.channels)
    }
}
