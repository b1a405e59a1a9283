import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Image rejects cut and corrupted files in one line without crashing")
struct ImageRobustnessTests {
    /// Decodes `data`; an error must be `invalidFile` naming the path in one non-empty line.
    static func decodeOrExplain(_ data: Data, name: String) -> Image? {
        do {
            return try Image(encoded: data, path: "fixtures/\(name)")
        } catch GlassboxError.invalidFile(let path, let reason) {
            #expect(path == "fixtures/\(name)")
            #expect(
                !reason.isEmpty && !reason.contains("\n") && reason.allSatisfy { $0.isASCII || $0 == "×" }, "\(reason)")
            return nil
        } catch {
            Issue.record("\(name): unexpected error \(error)")
            return nil
        }
    }

    @Test("every cut-off prefix fails, or decodes the whole first image", arguments: TestSupport.imageFiles)
    func truncatedAtEveryOffset(name: String) throws {
        let data = try Data(contentsOf: TestSupport.imageFixture(name))
        let whole = try Image(encoded: data, path: name)
        for length in 0..<data.count {
            if let image = Self.decodeOrExplain(data.prefix(length), name: name) {
                #expect(image == whole, "\(name) cut to \(length) bytes decoded to another image")
            }
        }
    }

    @Test("random byte changes fail cleanly or decode to some image", arguments: TestSupport.imageFiles)
    func randomByteChanges(name: String) throws {
        let original = try Data(contentsOf: TestSupport.imageFixture(name))
        var random = SplitMix64(seed: 0x1A6E)
        for _ in 0..<2000 {
            var data = original
            for _ in 0...random.index(4) {
                data[random.index(data.count)] = UInt8(random.index(256))
            }
            if let image = Self.decodeOrExplain(data, name: name) {
                #expect(image.pixels.count == image.width * image.height * image.channels)
            }
        }
    }
}
