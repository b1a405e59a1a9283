import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Superpixel segmenters agree with scikit-image 0.26")
struct SuperpixelTests {
    /// The SLIC parameter sets of the fixtures (`SLIC_SETS` in the script).
    static let slicSets = [
        "default": SLIC(),
        "coarse": SLIC(segments: 30, compactness: 5, sigma: 0),
    ]

    /// The quickshift parameter sets of the fixtures (`QUICKSHIFT_SETS` in the script).
    static let quickshiftSets = [
        "lime": Quickshift(),
        "fine": Quickshift(kernelSize: 2, maximumDistance: 8, ratio: 0.5),
    ]

    /// SLIC follows skimage's float64 arithmetic operation by operation, so the labels are
    /// skimage's exactly: measured equal on all eight fixtures, on 224×224, 150×225, 120×180,
    /// 128×128 (gray) and 37×53 copies with three more parameter sets (15 of 15), and on 40 random
    /// crops from 1×2 to 39×69 pixels with random parameters (40 of 40). Only numpy's vectorised
    /// `power`/`cbrt`/`exp`, which differ from the C library's in the last bit, could flip a
    /// distance comparison; none does here.
    @Test(
        "SLIC labels equal skimage's",
        arguments: SuperpixelFixtures.images, ["default", "coarse"])
    func slicEqualsScikitImage(image name: String, set: String) throws {
        let image = try SuperpixelFixtures.image(name)
        let reference = try SuperpixelFixtures.labels("\(name)-slic-\(set)")
        let segmentation = try #require(Self.slicSets[set]).segment(image)
        #expect(segmentation.labels == reference)
        #expect(segmentation.count == Set(reference).count)
    }

    /// The agreement with skimage's quickshift measured on each fixture (fraction of pixels with
    /// the same label after pairing labels one-to-one by largest overlap). skimage breaks density
    /// ties with random noise (σ = 10⁻⁵) that Glassbox replaces by a deterministic order, so the
    /// segments can differ where densities are (nearly) equal: on the gray photo, whose flat sky
    /// has equal densities, not on the colour ones (1.0: the same segments). The tests require
    /// the measured agreement less 0.005.
    static let measuredQuickshiftAgreement: [String: Double] = [
        "astronaut-lime": 1, "astronaut-fine": 1, "chelsea-lime": 1, "chelsea-fine": 1,
        "coffee-lime": 1, "coffee-fine": 1, "camera-lime": 0.9997, "camera-fine": 0.9902,
    ]

    @Test(
        "quickshift segments agree with skimage's as measured",
        arguments: SuperpixelFixtures.images, ["lime", "fine"])
    func quickshiftAgreesWithScikitImage(image name: String, set: String) throws {
        let image = try SuperpixelFixtures.image(name)
        let reference = try SuperpixelFixtures.labels("\(name)-quickshift-\(set)")
        let segmentation = try #require(Self.quickshiftSets[set]).segment(image)
        let measured = try #require(Self.measuredQuickshiftAgreement["\(name)-\(set)"])
        let agreement = SuperpixelFixtures.agreement(segmentation.labels, reference)
        #expect(agreement >= measured - 0.005, "\(name) \(set): agreement \(agreement)")
        #expect(abs(segmentation.count - Set(reference).count) <= Set(reference).count / 10)
    }

    @Test func quickshiftBreaksTiesInFlatRegionsDeterministically() throws {
        // A flat image has equal densities inside; every pixel points to a later neighbour, so the
        // whole image (within max_dist) is one segment, where skimage's noise would make several.
        let flat = Image(width: 30, height: 20, color: [90, 140, 200])
        #expect(try Quickshift().segment(flat).count == 1)
    }

    @Test func pixelsWithoutAParentWithinTheMaximumDistanceAreRoots() throws {
        let halves = Image(width: 4, height: 2, channels: 1, pixels: [0, 0, 255, 255, 0, 0, 255, 255])
        let segmentation = try Quickshift(kernelSize: 1, maximumDistance: 0.5, ratio: 1).segment(halves)
        #expect(segmentation.labels == Array(0..<8))  // neighbours are 1 apart: every pixel a root
    }

    @Test func gridCellsAreAsEvenAsPossible() throws {
        let image = Image(width: 10, height: 7, color: [0])
        let segmentation = try RegularGrid(rows: 3, columns: 4).segment(image)
        // Rows cut at ⌊i·7/3⌋ = 0, 2, 4, 7 and columns at ⌊j·10/4⌋ = 0, 2, 5, 7, 10.
        let bands = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3]
        let expected = [0, 0, 4, 4, 8, 8, 8].flatMap { first in bands.map { first + $0 } }
        #expect(segmentation.labels == expected)
        #expect(segmentation.count == 12)
        for (rows, columns, height, width) in [(1, 1, 5, 9), (5, 9, 5, 9), (4, 6, 17, 23), (7, 3, 64, 48)] {
            let grid = try RegularGrid(rows: rows, columns: columns).segment(
                Image(width: width, height: height, color: [1, 2, 3]))
            let rowBands = (0..<height).map { grid.labels[$0 * width] / columns }
            let columnBands = (0..<width).map { grid.labels[$0] % columns }
            #expect(grid.count == rows * columns)
            #expect(
                grid.labels == (0..<(height * width)).map { rowBands[$0 / width] * columns + columnBands[$0 % width] })
            for (bandsOfAxis, cells) in [(rowBands, rows), (columnBands, columns)] {
                let sizes = bandsOfAxis.reduce(into: [Int](repeating: 0, count: cells)) { $0[$1] += 1 }
                #expect(sizes.max()! - sizes.min()! <= 1 && sizes.min()! >= 1)
                #expect(bandsOfAxis == bandsOfAxis.sorted())
            }
        }
    }

    @Test func segmenterBuildsEachSegmenterWithItsDefaults() throws {
        let image = try SuperpixelFixtures.image("chelsea")
        #expect(try Segmenter.lime.segment(image) == Quickshift().segment(image))
        #expect(Segmenter.lime == .quickshift(kernelSize: 4, maximumDistance: 200, ratio: 0.2))
        #expect(try Segmenter.defaultSLIC.segment(image) == SLIC().segment(image))
        #expect(Segmenter.defaultSLIC == .slic(segments: 100, compactness: 10, sigma: 1))
        #expect(try Segmenter.grid(rows: 2, columns: 3).segment(image).count == 6)
    }

    @Test func rgbaIsSegmentedWithoutItsAlpha() throws {
        let rgb = try SuperpixelFixtures.image("coffee")
        var pixels = [UInt8]()
        for pixel in 0..<(rgb.width * rgb.height) {
            pixels += rgb.pixels[(pixel * 3)..<(pixel * 3 + 3)]
            pixels.append(UInt8(pixel % 256))
        }
        let rgba = Image(width: rgb.width, height: rgb.height, channels: 4, pixels: pixels)
        #expect(try SLIC().segment(rgba) == SLIC().segment(rgb))
    }

    @Test func segmentersRefuseParametersOutsideTheirRange() {
        let image = Image(width: 8, height: 6, color: [10, 20, 30])
        let refused: [Segmenter] = [
            .slic(segments: 0, compactness: 10, sigma: 1), .slic(segments: 10, compactness: 0, sigma: 1),
            .slic(segments: 10, compactness: 10, sigma: -1),
            .quickshift(kernelSize: 0.5, maximumDistance: 10, ratio: 1),
            .quickshift(kernelSize: 2, maximumDistance: -1, ratio: 1), .grid(rows: 0, columns: 2),
            .grid(rows: 7, columns: 2),
            .grid(rows: 2, columns: 9),
        ]
        for segmenter in refused {
            #expect(throws: GlassboxError.self, "\(segmenter)") { try segmenter.segment(image) }
        }
    }
}
