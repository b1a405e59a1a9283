import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Image encodes PNG files that decode to the same pixels")
struct ImagePNGTests {
    static func randomImage(channels: Int, width: Int = 23, height: Int = 17, seed: UInt64 = 7) -> Image {
        var random = SplitMix64(seed: seed)
        return Image(
            width: width, height: height, channels: channels,
            pixels: (0..<(width * height * channels)).map { _ in UInt8(random.index(256)) })
    }

    @Test("encode then decode gives the same image", arguments: Image.channelCounts)
    func roundTrip(channels: Int) throws {
        let image = Self.randomImage(channels: channels)
        let data = try image.pngData()
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try Image(encoded: data, path: "round-trip.png") == image)
    }

    @Test func decodedFixturesSurviveARoundTrip() throws {
        for name in TestSupport.imageFiles {
            let image = try Image.read(from: TestSupport.imageFixture(name))
            #expect(try Image(encoded: image.pngData(), path: name) == image, "\(name)")
        }
    }

    @Test func writesAtomicallyAndReportsUnwritablePaths() throws {
        let folder = try TestSupport.temporaryDirectory()
        let url = folder.appending(path: "picture.png")
        let image = Self.randomImage(channels: 3)
        try Self.randomImage(channels: 1).writePNG(to: url)
        try image.writePNG(to: url)
        #expect(try Image.read(from: url) == image)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path(percentEncoded: false)) == ["picture.png"])

        let unwritable = folder.appending(path: "missing-folder/picture.png")
        #expect(
            TestSupport.invalidFileReason { try image.writePNG(to: unwritable) }?.hasPrefix("cannot write: ") == true)
        #expect(!FileManager.default.fileExists(atPath: unwritable.path(percentEncoded: false)))
    }
}
