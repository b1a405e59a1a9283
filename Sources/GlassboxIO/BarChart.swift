/// A bar chart drawn as an RGB image: the class probabilities of a prediction
/// with their spread, a histogram, or a reliability diagram.
///
/// Bars rise from 0 to `value / maximum` of the plot's height (clipped); a
/// bar's `spread` draws a whisker of ±spread around its top; a `marker` draws a
/// short dark line at that height (a reliability diagram's confidence); the
/// diagonal from (0, 0) to (1, 1) can be drawn for reliability diagrams. Bar
/// labels are written under the bars when they fit.
public struct BarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Half the length of the whisker around the bar's top, if any.
        public var spread: Double?
        /// A height marked with a line across the bar, if any.
        public var marker: Double?

        public init(label: String, value: Double, spread: Double? = nil, marker: Double? = nil) {
            self.label = label
            self.value = value
            self.spread = spread
            self.marker = marker
        }
    }

    public var title: String
    public var bars: [Bar]
    /// The value at the top of the plot.
    public var maximum: Double
    /// Whether to draw the diagonal y = x over the bars' span (reliability diagrams).
    public var showsDiagonal: Bool

    public init(title: String, bars: [Bar], maximum: Double = 1, showsDiagonal: Bool = false) {
        self.title = title
        self.bars = bars
        self.maximum = maximum
        self.showsDiagonal = showsDiagonal
    }

    static let barColor: [UInt8] = [68, 114, 196], whiskerColor: [UInt8] = [200, 40, 40],
        inkColor: [UInt8] = [30, 30, 30]

    /// The chart, `width`×`height` pixels on white.
    public func image(width: Int = 320, height: Int = 200) -> Image {
        var image = Image(width: width, height: height, color: [255, 255, 255])
        let title = BitmapFontText(self.title, scale: 1)
        image.draw(title, x: max((width - title.width) / 2, 0), y: 4, color: Self.inkColor)
        let left = 8, right = width - 8, top = 8 + title.height + 6, bottom = height - 20
        let plotHeight = bottom - top, slot = Double(right - left) / Double(max(bars.count, 1))
        func y(_ value: Double) -> Int {
            bottom - Int((min(max(value / maximum, 0), 1) * Double(plotHeight)).rounded())
        }
        image.fill(x: left, y: bottom, width: right - left, height: 1, color: Self.inkColor)
        image.fill(x: left, y: top, width: 1, height: plotHeight, color: Self.inkColor)
        for (index, bar) in bars.enumerated() {
            let x0 = left + Int(Double(index) * slot + slot * 0.15), barWidth = max(Int(slot * 0.7), 1)
            let topOfBar = y(bar.value)
            image.fill(x: x0, y: topOfBar, width: barWidth, height: bottom - topOfBar, color: Self.barColor)
            if let marker = bar.marker {
                image.fill(x: x0 - 1, y: y(marker), width: barWidth + 2, height: 2, color: Self.inkColor)
            }
            if let spread = bar.spread {
                let high = y(bar.value + spread), low = y(bar.value - spread), centre = x0 + barWidth / 2
                image.fill(x: centre, y: high, width: 1, height: max(low - high, 1), color: Self.whiskerColor)
                image.fill(x: centre - 2, y: high, width: 5, height: 1, color: Self.whiskerColor)
                image.fill(x: centre - 2, y: low, width: 5, height: 1, color: Self.whiskerColor)
            }
            let label = BitmapFontText(bar.label, scale: 1)
            if label.width <= Int(slot) {
                image.draw(label, x: x0 + (barWidth - label.width) / 2, y: bottom + 5, color: Self.inkColor)
            }
        }
        if showsDiagonal {
            let steps = right - left
            for step in 0..<steps {
                image.fill(
                    x: left + step, y: y(Double(step) / Double(steps) * maximum), width: 1, height: 1,
                    color: Self.whiskerColor)
            }
        }
        return image
    }
}
