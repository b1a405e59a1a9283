import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Panels lay tiles out in a grid with captions")
struct PanelTests {
    /// An 8×8 gray tile whose pixel (x, y) is 8y + x, times 4.
    static let digit = Image(width: 8, height: 8, channels: 1, pixels: (0..<64).map { UInt8($0 * 4) })

    static func isWhite(_ image: Image, x: Range<Int>, y: Range<Int>) -> Bool {
        y.allSatisfy { row in x.allSatisfy { column in image.pixel(x: column, y: row).allSatisfy { $0 == 255 } } }
    }

    @Test func captionsUseTheBitmapFont() {
        let text = BitmapFontText("Ag", scale: 1)
        #expect((text.width, text.height) == (10, 9))  // 5-pixel glyphs with one column between, "g" descends 2 rows
        let doubled = BitmapFontText("Ag", scale: 2)
        #expect((doubled.width, doubled.height) == (20, 18))
        #expect(BitmapFontText("", scale: 2).rectangles.isEmpty)
        #expect(BitmapFontText("é", scale: 1).rectangles.count == BitmapFontText("?", scale: 1).rectangles.count)
    }

    @Test func sizeFollowsTilesGapsAndCaptions() {
        let tiles: [[Image?]] = [[Self.digit, Self.digit, Self.digit], [Self.digit, nil]]
        let bare = Panel(tiles: tiles).image()
        #expect((bare.width, bare.height, bare.channels) == (4 + 3 * (96 + 4), 4 + 2 * (96 + 4), 3))

        let titles = ["Input", "Saliency", "Grad-CAM"]
        let captioned = Panel(tiles: tiles, columnTitles: titles, rowLabels: ["zero", "one"]).image()
        let titleHeight = titles.map { BitmapFontText($0, scale: 2).height }.max()!
        let labelWidth = BitmapFontText("zero", scale: 2).width
        #expect(captioned.width == bare.width + 4 + labelWidth)
        #expect(captioned.height == bare.height + 4 + titleHeight)

        let wideTitle = Panel(tiles: [[Self.digit]], columnTitles: ["a title wider than its tile"]).image()
        #expect(wideTitle.width == 4 + BitmapFontText("a title wider than its tile", scale: 2).width + 4)
    }

    @Test func titlesAndLabelsAreDrawnInBlack() {
        let panel = Panel(
            tiles: [[Self.digit, Self.digit]], columnTitles: ["Input", "Saliency"], rowLabels: ["seven"])
        let image = panel.image()
        let labelWidth = BitmapFontText("seven", scale: 2).width,
            titleHeight = BitmapFontText("Saliency", scale: 2).height
        let titleBand = 0..<(4 + titleHeight), labelBand = 0..<(4 + labelWidth)
        #expect(!Self.isWhite(image, x: (4 + labelWidth)..<image.width, y: titleBand))
        #expect(!Self.isWhite(image, x: labelBand, y: (4 + titleHeight)..<image.height))
        let inked = titleBand.flatMap { row in (0..<image.width).map { image.pixel(x: $0, y: row) } }
        #expect(inked.allSatisfy { $0.elementsEqual([0, 0, 0]) || $0.elementsEqual([255, 255, 255]) })
        #expect(inked.contains { $0.elementsEqual([0, 0, 0]) })
    }

    @Test func tilesAreScaledWithNearestNeighbourAndGapsStayWhite() {
        let image = Panel(tiles: [[Self.digit, nil]], tileHeight: 96, tileWidth: 96).image()
        for y in 0..<96 {
            for x in 0..<96 {
                let expected = Self.digit.pixels[(y / 12) * 8 + x / 12]
                #expect(image.pixel(x: 4 + x, y: 4 + y).elementsEqual([expected, expected, expected]))
            }
        }
        #expect(Self.isWhite(image, x: 0..<image.width, y: 0..<4))
        #expect(Self.isWhite(image, x: 100..<image.width, y: 0..<image.height))  // gap and the missing tile
    }

    @Test func writesAPNG() throws {
        let url = try TestSupport.temporaryDirectory().appending(path: "panel.png")
        let panel = Panel(tiles: [[Self.digit]], columnTitles: ["Input"])
        try panel.writePNG(to: url)
        #expect(try Image.read(from: url) == panel.image())
    }
}
