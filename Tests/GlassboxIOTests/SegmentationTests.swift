import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Segmentation renumbers labels and reads users' .npy files")
struct SegmentationTests {
    /// A float32 `.npy` file of `values` in `shape`.
    static func npy(_ values: [Float], shape: [Int]) -> Data {
        NumpyArray(shape: Shape(shape), values: values).npyData()
    }

    static func reason(_ data: Data, height: Int = 2, width: Int = 3) -> String? {
        TestSupport.invalidFileReason {
            _ = try Segmentation(npyData: data, path: "seg.npy", height: height, width: width)
        }
    }

    @Test func labelsAreRenumberedInIncreasingOrderOfTheirValue() throws {
        let segmentation = try Segmentation(height: 2, width: 3, labels: [7, -3, 7, 12, 12, -3])
        #expect(segmentation.labels == [1, 0, 1, 2, 2, 0])
        #expect(segmentation.count == 3)
        #expect(try Segmentation(height: 1, width: 2, labels: [0, 1]).labels == [0, 1])
    }

    @Test func emptyOrMismatchedLabelsAreRefused() {
        #expect(throws: GlassboxError.self) { try Segmentation(height: 0, width: 3, labels: []) }
        #expect(throws: GlassboxError.self) { try Segmentation(height: 2, width: 3, labels: [0, 1, 2]) }
    }

    @Test func readsIntegerFixturesAndIntegralFloats() throws {
        let url = SuperpixelFixtures.folder.appending(path: "chelsea-slic-default.npy")
        let segmentation = try Segmentation.read(from: url, height: 48, width: 64)
        #expect(segmentation.labels == (try SuperpixelFixtures.labels("chelsea-slic-default")))
        let floats = try Segmentation(
            npyData: Self.npy([3, 3, 5, -1, 5, 3], shape: [2, 3]), path: "seg.npy", height: 2, width: 3)
        #expect(floats.labels == [1, 1, 2, 0, 2, 1])
    }

    @Test func aSegmentationOfAnotherSizeIsRefused() {
        let data = Self.npy([Float](repeating: 0, count: 25), shape: [5, 5])
        #expect(Self.reason(data, height: 8, width: 8) == "segmentation is 5×5, the image is 8×8")
        #expect(
            Self.reason(Self.npy([0, 1, 2, 3, 4, 5], shape: [1, 2, 3]))
                == "segmentation has shape (1, 2, 3), expected the image's 2×3")
    }

    @Test func nonIntegralLabelsAreRefused() {
        #expect(
            Self.reason(Self.npy([0, 1, 2, 3, 2.5, 5], shape: [2, 3]))
                == "segmentation holds 2.5 at row 1, column 1; labels must be integers")
        #expect(
            Self.reason(Self.npy([0, 1, .nan, 3, 4, 5], shape: [2, 3]))?.hasPrefix("segmentation holds nan") == true)
    }

    @Test func truncatedAndMissingFilesAreRefusedNamingTheFile() throws {
        let data = Self.npy([0, 1, 2, 3, 4, 5], shape: [2, 3])
        #expect(Self.reason(data.prefix(data.count - 5))?.hasPrefix("truncated: ") == true)
        let missing = SuperpixelFixtures.folder.appending(path: "no-such-segmentation.npy")
        #expect(throws: GlassboxError.invalidFile(path: missing.path(percentEncoded: false), reason: "no such file")) {
            try Segmentation.read(from: missing, height: 2, width: 3)
        }
    }
}
