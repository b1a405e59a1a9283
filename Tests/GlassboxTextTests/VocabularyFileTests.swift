import Foundation
import GlassboxCore
import GlassboxText
import Testing

@Suite("vocab.txt files")
struct VocabularyFileTests {
    static func reason(_ bytes: [UInt8], padding: String = "<pad>", unknown: String = "<unk>") -> String? {
        TestSupport.invalidFileReason {
            _ = try Vocabulary(
                vocabularyFile: Data(bytes), path: "vocab.txt", paddingToken: padding, unknownToken: unknown)
        }
    }

    @Test func writesAndReadsBack() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try Vocabulary(training: [["héllo", "world", "👍🏽", "don't", "hello"]])
        let url = folder.appending(path: "vocab.txt")
        try vocabulary.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == vocabulary.tokens.map { $0 + "\n" }.joined())
        #expect(try Vocabulary(contentsOf: url) == vocabulary)
    }

    @Test func readsCRLFAndAMissingLastLineEndAndOtherSpecialTokens() throws {
        let vocabulary = try Vocabulary(
            vocabularyFile: Data("\u{FEFF}[PAD]\r\n[unused0]\r\n[UNK]\r\nthe".utf8), path: "vocab.txt",
            paddingToken: "[PAD]", unknownToken: "[UNK]")
        #expect(vocabulary.tokens == ["[PAD]", "[unused0]", "[UNK]", "the"])
        #expect(vocabulary.paddingID == 0 && vocabulary.unknownID == 2)
    }

    @Test func badFilesAreRefusedNamingTheLine() {
        #expect(Self.reason([]) == "the file is empty")
        #expect(Self.reason(Array("<pad>\n<unk>\na\nb\na\n".utf8)) == "line 5 repeats 'a' of line 3")
        #expect(Self.reason(Array("<pad>\n\n<unk>\n".utf8)) == "line 2 is empty")
        #expect(
            Self.reason(Array("<pad>\na\n".utf8))
                == "no unknown token '<unk>' (name the one this vocabulary uses, such as [PAD] or [UNK])")
        #expect(
            Self.reason(Array("[PAD]\n[UNK]\n".utf8))
                == "no padding token '<pad>' (name the one this vocabulary uses, such as [PAD] or [UNK])")
        #expect(
            Self.reason(Array("<pad>\r\n<unk>\r\n".utf8) + [0x61, 0xFF, 0x0A])
                == "line 3: bytes that are not valid UTF-8")
    }

    @Test func aMissingFileIsNamed() {
        let url = URL(filePath: "/nonexistent/glassbox/vocab.txt")
        let error = TestSupport.error { _ = try Vocabulary(contentsOf: url) } as? GlassboxError
        #expect(error?.description == "/nonexistent/glassbox/vocab.txt: no such file")
    }
}
