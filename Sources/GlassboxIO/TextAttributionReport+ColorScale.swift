import Foundation

extension TextAttributionReport {
    /// The diverging colours of one method's attributions: red for positive, blue for negative,
    /// over white, with an opacity of |value| / max |value| over the method's words.
    ///
    /// The two colours are ``Colormap/redBlue``'s at 0.8 and 0.2 (ColorBrewer's `#D6604D` and
    /// `#4393C3`): dark text keeps a contrast above 5:1 on them even at full strength.
    struct ColorScale {
        /// The colour of the strongest positive attribution, `0xRRGGBB`.
        static let positive = Colormap.redBlue.colors[8]
        /// The colour of the strongest negative attribution, `0xRRGGBB`.
        static let negative = Colormap.redBlue.colors[2]

        /// The largest |attribution|: the ends of the scale are ±maximum.
        let maximum: Float

        /// The scale of a method whose words have the attributions `values`.
        init(values: [Float]) {
            maximum = values.lazy.map(\.magnitude).max() ?? 0
        }

        /// The CSS background of a word or contribution of `value`: the colour of its sign with
        /// opacity |value| / ``maximum`` (at most 1), or `nil` for 0.
        func background(of value: Float) -> String? {
            guard value != 0, maximum > 0 else { return nil }
            let alpha = min(value.magnitude / maximum, 1)
            return Self.css(value > 0 ? Self.positive : Self.negative, alpha: alpha)
        }

        /// The number of decimals that give ``maximum`` three significant digits (3 for 0.93,
        /// 7 for 0.0000123): every number of the method is written with as many.
        var decimals: Int {
            guard maximum > 0 else { return 3 }
            return min(max(2 - Int(log10(maximum).rounded(.down)), 0), 12)
        }

        /// `value` with ``decimals`` decimals and its sign (`+0.930`, `-0.280`; `0.000` for 0).
        func label(of value: Float) -> String {
            value == 0 ? String(format: "%.*f", decimals, 0.0) : String(format: "%+.*f", decimals, Double(value))
        }

        /// The CSS class of `value`'s sign: `pos`, `neg` or `zero`.
        static func signClass(of value: Float) -> String {
            value > 0 ? "pos" : value < 0 ? "neg" : "zero"
        }

        /// `color` (`0xRRGGBB`) as CSS `rgba(…)` with opacity `alpha`.
        static func css(_ color: UInt32, alpha: Float = 1) -> String {
            let components = Colormap.components(color)
            return String(
                format: "rgba(%d, %d, %d, %.3f)", Int(components.x), Int(components.y), Int(components.z),
                Double(alpha))
        }

        /// The legend's CSS gradient from the strongest negative colour through white to the
        /// strongest positive one.
        static let legendGradient = "linear-gradient(to right, \(css(negative)), #ffffff, \(css(positive)))"
    }
}
