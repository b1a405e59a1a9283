extension Colormap {
    /// matplotlib's `RdBu_r`: dark blue (0) through near-white (0.5, the colour of zero) to dark
    /// red (1); for signed maps, negative blue and positive red.
    ///
    /// The 11 colours are ColorBrewer's diverging "RdBu" scheme, reversed, as matplotlib defines
    /// it. Colours from www.ColorBrewer.org by Cynthia A. Brewer, Geography, Pennsylvania State
    /// University (Apache License 2.0).
    public static let redBlue = Colormap(
        name: "RdBu_r",
        colors: [
            0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B,
            0x67001F,
        ])
}
