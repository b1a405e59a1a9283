import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Contribution charts draw signed bars by size")
struct ContributionChartTests {
    static let contributions: [ContributionChart.Contribution] = [
        .init(label: "mean radius <= 11.70", value: 0.05),
        .init(label: "worst area = 880.8", value: -0.30),
        .init(label: "worst concave points > 0.16", value: 0.20),
        .init(label: "mean texture = 21.3", value: -0.10),
    ]

    /// The number of pixels of `color` in row `y`.
    static func count(_ color: [UInt8], in image: Image, row y: Int) -> Int {
        (0..<image.width).filter { Array(image.pixel(x: $0, y: y)) == color }.count
    }

    /// The runs of rows holding bar pixels, top to bottom: each bar's colour and its length in pixels.
    static func bars(in image: Image) -> [(color: [UInt8], length: Int)] {
        var bars: [(color: [UInt8], length: Int)] = []
        var previous = 0
        for y in 0..<image.height {
            let red = count(ContributionChart.positiveColor, in: image, row: y)
            let blue = count(ContributionChart.negativeColor, in: image, row: y)
            let length = max(red, blue)
            if length > 0, previous == 0 {
                bars.append((red > blue ? ContributionChart.positiveColor : ContributionChart.negativeColor, length))
            }
            previous = length
        }
        return bars
    }

    @Test func barsAreOrderedByMagnitudeAndColouredBySign() throws {
        let chart = ContributionChart(title: "P(benign)", contributions: Self.contributions)
        #expect(chart.bars.map(\.value) == [-0.30, 0.20, -0.10, 0.05])
        let image = chart.image(width: 480)
        #expect(image.channels == 3 && image.width == 480)
        let drawn = Self.bars(in: image)
        #expect(
            drawn.map(\.color) == [
                ContributionChart.negativeColor, ContributionChart.positiveColor, ContributionChart.negativeColor,
                ContributionChart.positiveColor,
            ])
        // Lengths are proportional to the values: 0.30 : 0.20 : 0.10 : 0.05 within a pixel or two.
        let lengths = drawn.map { Double($0.length) }
        #expect(zip(lengths, [0.30, 0.20, 0.10, 0.05]).allSatisfy { abs($0 / lengths[0] * 0.30 - $1) < 0.01 })
    }

    @Test func negativeBarsGoLeftAndPositiveRightOfTheZeroLine() throws {
        let chart = ContributionChart(title: "t", contributions: Self.contributions)
        let layout = chart.layout(width: 480)
        let image = chart.image(width: 480)
        for row in layout.rows {
            let centre = (x: row.x + row.width / 2, y: row.y + row.height / 2)
            let expected = row.bar.value < 0 ? ContributionChart.negativeColor : ContributionChart.positiveColor
            #expect(Array(image.pixel(x: centre.x, y: centre.y)) == expected)
            #expect(row.bar.value < 0 ? row.x + row.width == layout.zeroX : row.x == layout.zeroX)
        }
        // The zero line is ink.
        #expect(Array(image.pixel(x: layout.zeroX, y: layout.rows[0].y)) == ContributionChart.inkColor)
    }

    @Test func theRestIsSummedIntoOneBarAsShapsMaxDisplay() throws {
        let many = (1...12).map {
            ContributionChart.Contribution(label: "f\($0)", value: Double($0) * (($0 % 2 == 0) ? 1 : -1))
        }
        let chart = ContributionChart(title: "t", contributions: many, maximumBars: 4)
        let bars = chart.bars
        #expect(bars.map(\.label) == ["f12", "f11", "f10", "9 other features"])
        // f1 … f9: −1 + 2 − 3 + 4 − 5 + 6 − 7 + 8 − 9 = −5.
        #expect(bars.last?.value == -5)
        #expect(Self.bars(in: chart.image()).count == 4)
        #expect(ContributionChart(title: "t", contributions: Array(many.prefix(4)), maximumBars: 4).bars.count == 4)
    }

    @Test func theImageGrowsWithBarsAndLongLabels() throws {
        let short = ContributionChart(title: "t", contributions: Array(Self.contributions.prefix(2))).image(width: 300)
        let long = ContributionChart(title: "t", contributions: Self.contributions).image(width: 300)
        #expect(long.height - short.height == 2 * ContributionChart.rowHeight && long.width == 300)
        let label = String(repeating: "w", count: 80)
        let wide = ContributionChart(title: "t", contributions: [.init(label: label, value: 1)]).image(width: 100)
        #expect(wide.width > 100)
        #expect(ContributionChart.shortened(label).count == ContributionChart.maximumLabelLength)
        let zero = ContributionChart(title: "all zero", contributions: [.init(label: "a", value: 0)]).image()
        #expect(Self.bars(in: zero).isEmpty)
    }

    @Test func valuesArePrintedWithASign() {
        #expect(ContributionChart.valueText(0.123456) == "+0.123")
        #expect(ContributionChart.valueText(-12.5) == "-12.5")
    }

    /// Writes a chart for a person to look at, when `GLASSBOX_CHART_PNG` names a file: the terms of
    /// a made-up linear model (weights 0.1 and −0.05) on tumour 0's standardised features.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GLASSBOX_CHART_PNG"] != nil))
    func writesAChartToLookAt() throws {
        let path = try #require(ProcessInfo.processInfo.environment["GLASSBOX_CHART_PNG"])
        let data = try BreastCancerDataset.load()
        let (mean, deviation) = data.table.columnStatistics()
        let row = data.table.row(0)
        let contributions = data.featureNames.indices.map { index in
            ContributionChart.Contribution(
                label: "\(data.featureNames[index]) = \(String(format: "%.4g", row[row.startIndex + index]))",
                value: Double((row[row.startIndex + index] - mean[index]) / deviation[index])
                    * (index % 3 == 0 ? 0.1 : -0.05))
        }
        let chart = ContributionChart(
            title: "Tumour 0: contributions to P(benign)", contributions: contributions,
            axisLabel: "contribution to P(benign)")
        try chart.image().writePNG(to: URL(filePath: path))
    }
}
