import Foundation
import GlassboxCore
import GlassboxText
import Testing

@Suite("TextPipeline")
struct TextPipelineTests {
    static let texts = ["I love it", "I hate it!", "love love LOVE @me http://x.co"]

    static func pipeline(sequenceLength: Int = 4) throws -> TextPipeline {
        try TextPipeline(training: texts, sequenceLength: sequenceLength)
    }

    @Test func encodesPositionByPositionLikeItsTokens() throws {
        let pipeline = try Self.pipeline()
        #expect(pipeline.vocabulary.tokens.prefix(4) == ["<pad>", "<unk>", "love", "i"])
        let text = "Love it, Bob"
        let encoded = try pipeline.encode(text)
        let tokens = pipeline.tokens(in: text)
        #expect(encoded.ids.count == 4 && encoded.tokenCount == 4 && !encoded.isTruncated)
        #expect(encoded.ids == tokens.map { pipeline.vocabulary.id(of: $0.text) ?? pipeline.vocabulary.unknownID })
        #expect(tokens.map { String(text[$0.range]) } == ["Love", "it", ",", "Bob"])
        let long = try pipeline.encode("love it, love it, love it")
        #expect(long.tokenCount == 4 && long.droppedTokenCount == 4)
        let short = try pipeline.encode("@you")
        #expect(short.ids == [try #require(pipeline.vocabulary.id(of: "<user>")), 0, 0, 0])
    }

    @Test func refusesTextWithoutTokensAndBadLengths() throws {
        let pipeline = try Self.pipeline()
        #expect(TestSupport.invalidArgumentMessage { _ = try pipeline.encode("") } == "the text to encode is empty")
        #expect(
            TestSupport.invalidArgumentMessage { _ = try pipeline.encode(" \n\t\u{85}") }
                == "the text to encode has no tokens (only white space and control characters)")
        #expect(
            TestSupport.invalidArgumentMessage {
                _ = try TextPipeline(vocabulary: pipeline.vocabulary, sequenceLength: 0)
            } == "sequence length must be at least 1, got 0")
    }

    @Test func roundTripsThroughModelMetadata() throws {
        let pipeline = try TextPipeline(
            training: Self.texts, tokenizer: WordTokenizer(lowercase: false, normalizeURLs: false), sequenceLength: 7)
        let metadata = try pipeline.metadata()
        #expect(Set(metadata.keys) == [TextPipeline.settingsMetadataKey, TextPipeline.vocabularyMetadataKey])
        #expect(!metadata[TextPipeline.settingsMetadataKey, default: ""].contains("\n"))
        var stored = metadata
        stored["dataset"] = "tweets"
        let restored = try TextPipeline(metadata: stored)
        #expect(restored == pipeline)
        #expect(try restored.encode("LOVE it http://x.co") == pipeline.encode("LOVE it http://x.co"))
    }

    @Test func badMetadataNamesTheKey() throws {
        let metadata = try Self.pipeline().metadata()
        func message(_ changes: [String: String?]) -> String? {
            var changed = metadata
            for (key, value) in changes { changed[key] = value }
            return TestSupport.invalidModelMessage { _ = try TextPipeline(metadata: changed) }
        }
        #expect(
            message(["text-pipeline": nil])
                == "the model's metadata has no 'text-pipeline' entry, so it holds no text pipeline")
        #expect(
            message(["text-vocabulary": nil])
                == "the model's metadata has no 'text-vocabulary' entry, so it holds no text pipeline")
        #expect(message(["text-vocabulary": "{not json"]) == "metadata 'text-vocabulary' is not valid JSON")
        #expect(
            message([
                "text-vocabulary":
                    #"{"tokens": ["<pad>", "<unk>", "<unk>"], "paddingToken": "<pad>", "unknownToken": "<unk>"}"#
            ])
                == "metadata 'text-vocabulary': token 2 repeats '<unk>' of token 1")
        #expect(
            message(["text-vocabulary": #"{"tokens": ["<pad>", "<unk>"], "paddingToken": "<pad>"}"#])
                == "metadata 'text-vocabulary' has no 'unknownToken'")
        let tokenizer = #"{"lowercase": true, "normalizeURLs": true, "normalizeUsers": true, "normalizeNumbers": true}"#
        #expect(
            message(["text-pipeline": #"{"version": 2, "sequenceLength": 4, "tokenizer": \#(tokenizer)}"#])
                == "metadata 'text-pipeline' has format version 2; this Glassbox reads version 1")
        #expect(
            message(["text-pipeline": #"{"version": 1, "sequenceLength": 0, "tokenizer": \#(tokenizer)}"#])
                == "metadata 'text-pipeline' has sequence length 0, below 1")
        #expect(
            message(["text-pipeline": #"{"version": 1, "sequenceLength": "4", "tokenizer": \#(tokenizer)}"#])
                == "metadata 'text-pipeline' has a value of the wrong type at 'sequenceLength'")
    }
}
