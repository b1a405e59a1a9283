import Foundation

/// A horizontal bar chart of signed feature contributions drawn as an RGB image, as shap's
/// waterfall and bar plots show an explanation of one prediction (Lundberg & Lee 2017; shap's
/// `shap.plots.bar` and `shap.plots.waterfall`).
///
/// One bar per feature, ordered by |value| with the largest on top, grows from a vertical zero
/// line: to the right in shap's red (`#ff0051`) for a contribution that raises the output, to the
/// left in shap's blue (`#008bfb`) for one that lowers it. Each bar's label (say "mean radius <=
/// 11.70" or "worst area = 880.8") stands left of the plot and its value is printed at the bar's
/// end. As shap's `max_display`, ``maximumBars`` counts every bar drawn: when there are more
/// contributions, the largest `maximumBars − 1` get bars and the rest are summed into one last bar
/// labelled "N other features". Unlike shap's waterfall, the bars all start at zero (not at the
/// running sum from the expected value), so their lengths compare directly.
///
/// Text is set in the bitmap font of the other charts; write the image with `writePNG(to:)`.
public struct ContributionChart: Sendable {
    /// One feature's contribution.
    public struct Contribution: Sendable, Equatable {
        /// What the bar is labelled with: the feature, and often its value or range.
        public var label: String
        /// The signed contribution.
        public var value: Double

        /// A contribution `value` labelled `label`.
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The chart's title, drawn centred on top.
    public var title: String
    /// The contributions, in any order.
    public var contributions: [Contribution]
    /// The most bars drawn, the "N other features" bar included; at least 1.
    public var maximumBars: Int
    /// What the values measure, written under the plot (say "contribution to P(benign)"); nil
    /// writes nothing.
    public var axisLabel: String?

    /// A chart of `contributions` titled `title`.
    ///
    /// - Parameters:
    ///   - title: The title.
    ///   - contributions: The contributions, in any order.
    ///   - maximumBars: The most bars drawn, the "N other features" bar included; at least 1.
    ///   - axisLabel: What the values measure, written under the plot, or nil.
    public init(title: String, contributions: [Contribution], maximumBars: Int = 10, axisLabel: String? = nil) {
        precondition(maximumBars > 0, "a contribution chart needs room for at least one bar")
        self.title = title
        self.contributions = contributions
        self.maximumBars = maximumBars
        self.axisLabel = axisLabel
    }

    /// shap's red, for contributions above zero.
    public static let positiveColor: [UInt8] = [255, 0, 81]
    /// shap's blue, for contributions below zero.
    public static let negativeColor: [UInt8] = [0, 139, 251]
    /// The colour of text and of the zero line.
    static let inkColor: [UInt8] = [30, 30, 30]
    /// The colour of the faint line along each row.
    static let guideColor: [UInt8] = [225, 225, 225]
    /// Labels longer than this many characters are shortened with "...".
    static let maximumLabelLength = 48

    /// The bars drawn, top to bottom: the contributions by decreasing |value| (ties in the given
    /// order), the last `count − maximumBars + 1` of them summed into one "N other features" bar
    /// when there are more than ``maximumBars``.
    public var bars: [Contribution] {
        let ordered = contributions.enumerated().sorted {
            (abs($0.element.value), -$0.offset) > (abs($1.element.value), -$1.offset)
        }.map(\.element)
        guard ordered.count > maximumBars else { return ordered }
        let rest = ordered.dropFirst(maximumBars - 1)
        return Array(ordered.prefix(maximumBars - 1)) + [
            Contribution(label: "\(rest.count) other features", value: rest.reduce(0) { $0 + $1.value })
        ]
    }

    /// The text printed at the end of a bar of `value`: three significant digits and a sign.
    static func valueText(_ value: Double) -> String {
        String(format: "%+.3g", value)
    }

    /// `label`, shortened to ``maximumLabelLength`` characters.
    static func shortened(_ label: String) -> String {
        label.count <= maximumLabelLength ? label : String(label.prefix(maximumLabelLength - 3)) + "..."
    }

    /// Where everything goes in an image at least `width` pixels wide.
    struct Layout {
        /// One bar's place.
        struct Row {
            /// The contribution drawn.
            var bar: Contribution
            /// The bar's rectangle (zero width for a value of zero).
            var x: Int, y: Int, width: Int, height: Int
        }

        /// The bars' places, top to bottom.
        var rows: [Row]
        /// The x of the zero line.
        var zeroX: Int
        /// The image's size.
        var width: Int, height: Int
        /// The right end of the label column.
        var labelRight: Int
        /// The plot's top and bottom.
        var top: Int, bottom: Int
    }

    /// Pixels around the chart and between the label column and the plot.
    static let margin = 10
    /// The height of a row and of the bar in it.
    static let rowHeight = 18, barHeight = 12

    /// The layout in an image `width` pixels wide, or wider where the labels and values need it.
    func layout(width requestedWidth: Int) -> Layout {
        let bars = self.bars
        let labelWidth = bars.map { BitmapFontText(Self.shortened($0.label), scale: 1).width }.max() ?? 0
        let valueWidth = (bars.map { BitmapFontText(Self.valueText($0.value), scale: 1).width }.max() ?? 0) + 4
        let hasNegative = bars.contains { $0.value < 0 }, hasPositive = bars.contains { $0.value > 0 }
        let labelRight = Self.margin + labelWidth
        let plotLeft = labelRight + Self.margin + (hasNegative ? valueWidth : 0)
        let minimumPlot = 60
        let width = max(
            requestedWidth, plotLeft + minimumPlot + (hasPositive ? valueWidth : 0) + Self.margin,
            BitmapFontText(title, scale: 1).width + 2 * Self.margin)
        let plotRight = width - Self.margin - (hasPositive ? valueWidth : 0)
        let low = min(0, bars.map(\.value).min() ?? 0), high = max(0, bars.map(\.value).max() ?? 0)
        let span = high > low ? high - low : 1
        func x(_ value: Double) -> Int {
            plotLeft + Int(((value - low) / span * Double(plotRight - plotLeft)).rounded())
        }
        let zeroX = high > low ? x(0) : (plotLeft + plotRight) / 2
        let top = Self.margin + BitmapFontText(title, scale: 1).height + Self.margin
        let rows = bars.enumerated().map { index, bar in
            let end = high > low ? x(bar.value) : zeroX
            return Layout.Row(
                bar: bar, x: min(zeroX, end), y: top + index * Self.rowHeight + (Self.rowHeight - Self.barHeight) / 2,
                width: max(abs(end - zeroX), bar.value == 0 ? 0 : 1), height: Self.barHeight)
        }
        let bottom = top + bars.count * Self.rowHeight
        let axisHeight = axisLabel.map { BitmapFontText($0, scale: 1).height + 6 } ?? 0
        return Layout(
            rows: rows, zeroX: zeroX, width: width, height: bottom + axisHeight + Self.margin, labelRight: labelRight,
            top: top, bottom: bottom)
    }

    /// The chart on white, `width` pixels wide (wider where long labels need it) and as high as
    /// its bars need.
    public func image(width: Int = 560) -> Image {
        let layout = layout(width: width)
        var image = Image(width: layout.width, height: layout.height, color: [255, 255, 255])
        let title = BitmapFontText(self.title, scale: 1)
        image.draw(title, x: max((layout.width - title.width) / 2, 0), y: Self.margin, color: Self.inkColor)
        for row in layout.rows {
            let centre = row.y + row.height / 2
            for x in stride(from: layout.labelRight + Self.margin / 2, to: layout.width - Self.margin, by: 2) {
                image.fill(x: x, y: centre, width: 1, height: 1, color: Self.guideColor)
            }
            let color = row.bar.value < 0 ? Self.negativeColor : Self.positiveColor
            image.fill(x: row.x, y: row.y, width: row.width, height: row.height, color: color)
            let label = BitmapFontText(Self.shortened(row.bar.label), scale: 1)
            let textY = centre - 3
            image.draw(label, x: layout.labelRight - label.width, y: textY, color: Self.inkColor)
            let value = BitmapFontText(Self.valueText(row.bar.value), scale: 1)
            let valueX = row.bar.value < 0 ? row.x - 4 - value.width : row.x + row.width + 4
            image.draw(value, x: valueX, y: textY, color: Self.inkColor)
        }
        image.fill(
            x: layout.zeroX, y: layout.top - 4, width: 1, height: layout.bottom - layout.top + 8, color: Self.inkColor)
        if let axisLabel {
            let text = BitmapFontText(axisLabel, scale: 1)
            let plotCentre = (layout.labelRight + Self.margin + layout.width - Self.margin) / 2
            image.draw(
                text, x: max(plotCentre - text.width / 2, Self.margin), y: layout.bottom + 6, color: Self.inkColor)
        }
        return image
    }
}
