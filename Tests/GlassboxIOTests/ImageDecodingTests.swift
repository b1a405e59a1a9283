import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

extension TestSupport {
    /// The image fixtures written by `scripts/make_image_fixtures.py`.
    static let imageFixtures = fixtures.appending(path: "images")

    /// The URL of image fixture `name` (with its extension).
    static func imageFixture(_ name: String) -> URL {
        imageFixtures.appending(path: name)
    }

    /// The array the fixture script saved as `name`.npy.
    static func imageFixtureArray(_ name: String) throws -> NumpyArray {
        try NumpyArray.read(from: imageFixture("\(name).npy"))
    }

    /// The image files among the fixtures, one per format and kind of pixel.
    static let imageFiles = [
        "gray.png", "rgb.png", "rgba.png", "gray16.png", "gray.jpg", "rgb.jpg", "progressive.jpg", "rgb.bmp",
        "animated.gif",
    ]
}

@Suite("Image decodes PNG, JPEG, BMP and GIF files and reports bad ones in one line")
struct ImageDecodingTests {
    @Test("pixels equal Pillow's (JPEG within 2 levels)", arguments: TestSupport.imageFiles)
    func decodesAsPillowDoes(name: String) throws {
        let image = try Image.read(from: TestSupport.imageFixture(name))
        let expected = try TestSupport.imageFixtureArray(name)
        #expect(expected.shape == [image.height, image.width, image.channels])
        let tolerance: Float = name.hasSuffix(".jpg") ? 2 : 0
        let difference = zip(image.pixels, expected.values).map { abs(Float($0) - $1) }.max() ?? 0
        #expect(difference <= tolerance, "\(name): largest difference \(difference)")
    }

    @Test func channelCountsFollowTheFile() throws {
        let channels = try TestSupport.imageFiles.map { try Image.read(from: TestSupport.imageFixture($0)).channels }
        #expect(channels == [1, 3, 4, 1, 1, 3, 3, 3, 4])
    }

    static func failure(_ data: Data) -> GlassboxError? {
        do {
            _ = try Image(encoded: data, path: "picture.png")
            return nil
        } catch {
            return error as? GlassboxError
        }
    }

    @Test func missingEmptyAndForeignFiles() throws {
        let folder = try TestSupport.temporaryDirectory()
        let missing = folder.appending(path: "missing.png")
        #expect(throws: GlassboxError.invalidFile(path: missing.path(percentEncoded: false), reason: "no such file")) {
            try Image.read(from: missing)
        }
        let empty = folder.appending(path: "empty.png")
        try Data().write(to: empty)
        #expect(throws: GlassboxError.invalidFile(path: empty.path(percentEncoded: false), reason: "empty file")) {
            try Image.read(from: empty)
        }
        #expect(
            Self.failure(Data("just some text, not a picture".utf8))
                == .invalidFile(path: "picture.png", reason: "not a PNG, JPEG, BMP or GIF image (unknown signature)"))
        #expect(
            Self.failure(try TestSupport.fixtureData("f4-le"))
                == .invalidFile(path: "picture.png", reason: "not a PNG, JPEG, BMP or GIF image (unknown signature)"))
    }

    /// A structurally complete PNG whose header declares `width`×`height` pixels of `colorType`,
    /// with a few bytes of (too little) image data.
    static func png(width: UInt32, height: UInt32, colorType: UInt8) -> Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let length = UInt32(body.count)
            return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + Array(type.utf8) + body + [
                0, 0, 0, 0,
            ]
        }
        let size = [width, height].flatMap { value in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        return Data(
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", size + [8, colorType, 0, 0, 0])
                + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00]) + chunk("IEND", []))
    }

    @Test func absurdDimensionsAreRefusedFromTheHeader() {
        #expect(
            Self.failure(Self.png(width: 10000, height: 10000, colorType: 0))
                == .invalidFile(
                    path: "picture.png", reason: "10000×10000 pixels is more than the 67108864 an image may have"))
        // stb_image refuses this one itself (more than 2^30 bytes of pixels).
        guard
            case .invalidFile("picture.png", let reason) = Self.failure(
                Self.png(width: 1 << 20, height: 1 << 20, colorType: 6))
        else {
            Issue.record("a 2^20×2^20 PNG was not refused")
            return
        }
        #expect(reason == "malformed PNG header (stb_image cannot read its size)")
    }

    @Test func malformedDataCarriesStbsReason() {
        #expect(
            Self.failure(Self.png(width: 4, height: 4, colorType: 0))
                == .invalidFile(path: "picture.png", reason: "malformed PNG file (stb_image: not enough pixels)"))
    }

    /// rgb.jpg with `change` applied to the body of its first marker segment of type `marker`.
    static func jpeg(changing marker: UInt8, _ change: (inout Data, Int) -> Void) throws -> Data {
        var data = try Data(contentsOf: TestSupport.imageFixture("rgb.jpg"))
        let segment = try #require((2..<(data.count - 1)).first { data[$0] == 0xFF && data[$0 + 1] == marker })
        change(&data, segment + 4)
        return data
    }

    @Test func jpegsThatStbImageWouldMishandleAreRefused() throws {
        // More than 256 codes in a Huffman table: stb_image 2.27 overruns its arrays.
        let oversized = try Self.jpeg(changing: 0xC4) { data, body in data[body + 16] = 255 }
        #expect(
            Self.failure(oversized)?.description.hasPrefix(
                "picture.png: malformed JPEG file (a Huffman table declares ") == true)
        // A scan using AC table 3, never defined: stb_image 2.27 reads uninitialised memory.
        let undefined = try Self.jpeg(changing: 0xDA) { data, body in data[body + 2] = 0x03 }
        #expect(
            Self.failure(undefined)
                == .invalidFile(
                    path: "picture.png", reason: "malformed JPEG file (a scan uses a Huffman table that is not defined)"
                ))
    }

    @Test func truncationIsReportedAsSuch() throws {
        let expectations = [
            ("rgb.png", 100, "truncated: the PNG file ends inside its IDAT chunk"),
            ("rgb.jpg", 700, "truncated: the JPEG file ends inside its scan data"),
            ("rgb.bmp", 300, "truncated: the BMP file ends inside its pixel rows"),
            ("animated.gif", 100, "truncated: the GIF file ends inside its first frame"),
        ]
        for (name, length, reason) in expectations {
            let data = try Data(contentsOf: TestSupport.imageFixture(name)).prefix(length)
            #expect(Self.failure(data) == .invalidFile(path: "picture.png", reason: reason), "\(name)")
        }
    }
}
