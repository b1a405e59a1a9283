import Foundation
import GlassboxText
import Testing

@Suite("Vocabulary")
struct VocabularyTests {
    static let training = [["b", "a", "b", "c"], ["a", "b", "d", "<unk>"], ["<pad>", "e", "e"]]

    @Test func ordersPadUnkThenByCountThenAlphabetically() throws {
        let vocabulary = try Vocabulary(training: Self.training)
        #expect(vocabulary.tokens == ["<pad>", "<unk>", "b", "a", "e", "c", "d"])
        #expect(vocabulary.count == 7)
        #expect(vocabulary.paddingID == 0 && vocabulary.unknownID == 1)
        #expect(vocabulary.paddingToken == "<pad>" && vocabulary.unknownToken == "<unk>")
        #expect(vocabulary.id(of: "a") == 3)
        #expect(vocabulary.id(of: "zebra") == nil)
        #expect(vocabulary.token(at: 2) == "b")
        #expect(vocabulary.token(at: 7) == nil && vocabulary.token(at: -1) == nil)
    }

    @Test func minimumCountAndMaximumSizeCut() throws {
        #expect(try Vocabulary(training: Self.training, minimumCount: 2).tokens == ["<pad>", "<unk>", "b", "a", "e"])
        #expect(try Vocabulary(training: Self.training, maximumSize: 3).tokens == ["<pad>", "<unk>", "b"])
        #expect(try Vocabulary(training: Self.training, maximumSize: 2).tokens == ["<pad>", "<unk>"])
        #expect(try Vocabulary(training: [[String]]()).tokens == ["<pad>", "<unk>"])
        #expect(
            TestSupport.invalidArgumentMessage { _ = try Vocabulary(training: Self.training, minimumCount: 0) }
                == "vocabulary: minimumCount must be at least 1, got 0")
        #expect(
            TestSupport.invalidArgumentMessage { _ = try Vocabulary(training: Self.training, maximumSize: 1) }
                == "vocabulary: maximumSize must be at least 2 (for <pad> and <unk>), got 1")
    }

    @Test func encodePadsAtTheEndMapsUnknownsAndTruncates() throws {
        let vocabulary = try Vocabulary(training: Self.training)
        let short = try vocabulary.encode(["a", "zebra", "b"], length: 5)
        #expect(short == EncodedText(ids: [3, 1, 2, 0, 0], tokenCount: 3, droppedTokenCount: 0))
        #expect(!short.isTruncated)
        let exact = try vocabulary.encode(["c", "d"], length: 2)
        #expect(exact.ids == [5, 6] && exact.tokenCount == 2 && !exact.isTruncated)
        let long = try vocabulary.encode(["a", "b", "c", "d", "e"], length: 3)
        #expect(long == EncodedText(ids: [3, 2, 5], tokenCount: 3, droppedTokenCount: 2))
        #expect(long.isTruncated)
        #expect(try vocabulary.encode([], length: 2).ids == [0, 0])
        #expect(
            TestSupport.invalidArgumentMessage { _ = try vocabulary.encode(["a"], length: 0) }
                == "sequence length must be at least 1, got 0")
    }

    @Test func aVocabularyFromElsewhereNamesItsSpecialTokens() throws {
        let vocabulary = try Vocabulary(
            tokens: ["[PAD]", "[unused0]", "[UNK]", "the"], paddingToken: "[PAD]", unknownToken: "[UNK]")
        #expect(vocabulary.paddingID == 0 && vocabulary.unknownID == 2)
        #expect(try vocabulary.encode(["the", "cat"], length: 3).ids == [3, 2, 0])
    }

    @Test func badTokenListsAreRefusedWithOneLine() {
        func message(_ tokens: [String], padding: String = "<pad>", unknown: String = "<unk>") -> String? {
            TestSupport.invalidArgumentMessage {
                _ = try Vocabulary(tokens: tokens, paddingToken: padding, unknownToken: unknown)
            }
        }
        #expect(message([]) == "vocabulary: it has no tokens")
        #expect(message(["<pad>", "<unk>", "a", "a"]) == "vocabulary: token 3 repeats 'a' of token 2")
        #expect(message(["<pad>", "<unk>", ""]) == "vocabulary: token 2 is empty")
        #expect(message(["<pad>", "<unk>", "a\nb"]) == "vocabulary: token 2 holds a line break")
        #expect(
            message(["<pad>", "a"])
                == "vocabulary: no unknown token '<unk>' (name the one this vocabulary uses, such as [PAD] or [UNK])")
        #expect(
            message(["<unk>", "a"])
                == "vocabulary: no padding token '<pad>' (name the one this vocabulary uses, such as [PAD] or [UNK])")
        #expect(
            message(["x", "a"], padding: "x", unknown: "x")
                == "vocabulary: 'x' cannot be both the padding and the unknown token")
    }

    @Test func codableRoundTripChecksTheTokens() throws {
        let vocabulary = try Vocabulary(training: Self.training)
        let json = try JSONEncoder().encode(vocabulary)
        #expect(try JSONDecoder().decode(Vocabulary.self, from: json) == vocabulary)
        let duplicate = Data(
            #"{"tokens": ["<pad>", "<unk>", "a", "a"], "paddingToken": "<pad>", "unknownToken": "<unk>"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Vocabulary.self, from: duplicate) }
    }
}
