import Foundation
import Testing

@testable import GlassboxIO

@Suite("markingBoundaries draws what skimage's mark_boundaries draws")
struct BoundaryTests {
    @Test("the outlines of all segments equal skimage's", arguments: SuperpixelFixtures.images)
    func allSegments(image name: String) throws {
        let image = try SuperpixelFixtures.image(name)
        let segmentation = try Segmentation(
            height: image.height, width: image.width, labels: SuperpixelFixtures.labels("\(name)-slic-default"))
        let expected = try Image.read(
            from: SuperpixelFixtures.folder.appending(path: "\(name)-slic-default-boundaries.png"))
        #expect(image.markingBoundaries(of: segmentation) == expected)
    }

    @Test("the outline of chosen segments equals LIME's picture", arguments: SuperpixelFixtures.images)
    func chosenSegments(image name: String) throws {
        let image = try SuperpixelFixtures.image(name)
        let labels = try SuperpixelFixtures.labels("\(name)-slic-default")
        let segmentation = try Segmentation(height: image.height, width: image.width, labels: labels)
        try #require(segmentation.labels == labels)  // skimage's labels are 0..<n already
        let expected = try Image.read(from: SuperpixelFixtures.folder.appending(path: "\(name)-slic-default-top.png"))
        #expect(image.markingBoundaries(of: segmentation, segments: SuperpixelFixtures.topSegments) == expected)
    }

    @Test func outerBoundariesMatchTheFindBoundariesDocstring() {
        // skimage's `find_boundaries(labels, mode='outer')` example, labels 0 (background), 1 and 5.
        let labels = [
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 5, 5, 5, 0, 0],
            [0, 0, 1, 1, 1, 5, 5, 5, 0, 0],
            [0, 0, 1, 1, 1, 5, 5, 5, 0, 0],
            [0, 0, 1, 1, 1, 5, 5, 5, 0, 0],
            [0, 0, 0, 0, 0, 5, 5, 5, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ]
        let expected = [
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 1, 1, 1, 0, 0],
            [0, 0, 1, 1, 1, 1, 0, 0, 1, 0],
            [0, 1, 0, 0, 1, 1, 0, 0, 1, 0],
            [0, 1, 0, 0, 1, 1, 0, 0, 1, 0],
            [0, 1, 0, 0, 1, 1, 0, 0, 1, 0],
            [0, 0, 1, 1, 1, 1, 0, 0, 1, 0],
            [0, 0, 0, 0, 0, 1, 1, 1, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ]
        let boundaries = Image.outerBoundaries(Array(labels.joined()), width: 10)
        #expect(boundaries == expected.joined().map { $0 == 1 })
    }

    @Test func grayImagesBecomeRGBAndTheColourIsTheCallers() throws {
        let image = Image(width: 4, height: 2, channels: 1, pixels: [10, 20, 30, 40, 50, 60, 70, 80])
        let segmentation = try Segmentation(height: 2, width: 4, labels: [0, 0, 1, 1, 0, 0, 1, 1])
        let marked = image.markingBoundaries(of: segmentation, color: [255, 0, 9])
        // Columns 1 (background beside 1) are painted; label 1 touches only background: unpainted.
        let red: [UInt8] = [255, 0, 9]
        let expected: [[UInt8]] = [
            [10, 10, 10], red, [30, 30, 30], [40, 40, 40], [50, 50, 50], red, [70, 70, 70], [80, 80, 80],
        ]
        #expect(marked == Image(width: 4, height: 2, channels: 3, pixels: Array(expected.joined())))
    }
}
