extension Heatmap {
    /// Whether a heatmap shows magnitudes or values of either sign.
    public enum Polarity: String, Sendable, CaseIterable {
        /// Values from 0 up (negative values clip to 0), shown with ``Colormap/viridis``.
        case unsigned
        /// Values of either sign, shown with ``Colormap/redBlue``: negative blue, 0 near white,
        /// positive red.
        case signed

        /// The colormap a heatmap of this polarity is drawn with unless another is given.
        public var defaultColormap: Colormap {
            switch self {
            case .unsigned: .viridis
            case .signed: .redBlue
            }
        }

        /// The smallest normalised value: 0 for unsigned maps, −1 for signed maps.
        var lowerBound: Float { self == .signed ? -1 : 0 }
    }
}
