import Foundation
import GlassboxCore
import GlassboxText
import Testing

@Suite("TweetsDataset")
struct TweetsDatasetTests {
    /// The statistics of Tests/GlassboxTextTests/Fixtures/tweets-baseline.json that the tests compare with.
    struct Baseline: Decodable {
        /// The statistics of one data set.
        struct Statistics: Decodable {
            /// The numbers of training and test texts.
            var trainCount, testCount: Int
            /// The number of tokens in all training texts, and of distinct ones.
            var trainTokens, distinctTrainTokens: Int
        }

        /// The statistics of the built-in subset.
        var subset: Statistics
    }

    /// The baseline written by scripts/tweets_baseline.py.
    static func baseline() throws -> Baseline {
        let url = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/tweets-baseline.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Baseline.self, from: Data(contentsOf: url))
    }

    /// The number of texts of each class in `texts`.
    static func classCounts(_ texts: [LabeledText]) -> [Int] {
        (0..<3).map { label in texts.count { $0.label == label } }
    }

    @Test func theBuiltInSubsetHasItsSplitAndClasses() throws {
        let tweets = try TweetsDataset.load()
        #expect(tweets.classes == ["negative", "neutral", "positive"])
        #expect(TweetsDataset.classes == tweets.classes)
        #expect(tweets.train.count == 4800 && tweets.test.count == 1200)
        #expect(Self.classCounts(tweets.train) == [2036, 1889, 875])
        #expect(Self.classCounts(tweets.test) == [509, 472, 219])
        #expect(Set(tweets.train.map(\.text)).isDisjoint(with: tweets.test.map(\.text)))
    }

    @Test func textsAreDecodedAsTheSourceHasThem() throws {
        let tweets = try TweetsDataset.load()
        let all = tweets.train + tweets.test
        #expect(all.allSatisfy { !$0.text.isEmpty })
        #expect(!all.contains { $0.text.unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{FFFD}" } })
        #expect(tweets.train.first?.text == "self-driving cars just seem lazy and a waste of money")
        #expect(tweets.test.first?.text == "I'd never trust a self-driving car to take my kid to school.")
        // The source's mis-encoded characters are kept, decoded as latin-1 (C1 controls included),
        // and carriage returns inside quoted fields survive.
        #expect(
            all.contains {
                $0.text
                    == "@united customers \u{8A}\u{93}\u{C4}. Customer service \u{8A}\u{9D}\u{91} http://t.co/qP6Aw3nLIP"
            })
        #expect(all.contains { $0.text == "@USAirways us2118\rMy wife in Boston says no snow right now." })
        #expect(all.count { $0.text.unicodeScalars.contains("\r") } == 268)
        #expect(all.count { $0.text.unicodeScalars.contains { $0.value > 127 } } == 811)
    }

    @Test func loadingAndTokenizingAreDeterministic() throws {
        let first = try TweetsDataset.load()
        let second = try TweetsDataset.load()
        #expect(first.train == second.train && first.test == second.test)
        let tokenizer = WordTokenizer()
        let tokens = first.train.map { tokenizer.tokens(in: $0.text).map(\.text) }
        #expect(tokens == second.train.map { tokenizer.tokens(in: $0.text).map(\.text) })
        #expect(tokens.allSatisfy { !$0.isEmpty })
        // The Python port of the tokenizer in scripts/tweets_baseline.py reads the same tokens.
        let baseline = try Self.baseline()
        #expect(tokens.reduce(0) { $0 + $1.count } == baseline.subset.trainTokens)
        #expect(try Vocabulary(training: tokens).count == baseline.subset.distinctTrainTokens + 2)
        #expect(baseline.subset.trainCount == first.train.count && baseline.subset.testCount == first.test.count)
    }

    @Test func aMissingFullCorpusSaysHowToFetchIt() {
        let url = URL(filePath: "/nonexistent/glassbox/tweets-full.csv")
        #expect(
            TestSupport.invalidFileReason { _ = try TweetsDataset.loadFullCorpus(from: url) }
                == "no such file; run `python3 scripts/fetch_tweets.py` to download the full corpus "
                + "(`--cache DIR` to put it elsewhere)")
        #expect(TweetsDataset.defaultFullCorpusURL.path().hasSuffix("/.cache/glassbox/tweets/tweets-full.csv"))
    }

    @Test(
        "the full corpus, when scripts/fetch_tweets.py has cached it",
        .enabled(if: FileManager.default.fileExists(atPath: TweetsDataset.defaultFullCorpusURL.path())))
    func theFullCorpusContainsTheSubset() throws {
        let full = try TweetsDataset.loadFullCorpus()
        #expect(full.train.count + full.test.count == 38158)
        #expect(Self.classCounts(full.train) == [12965, 12068, 5555])
        #expect(Self.classCounts(full.test) == [3221, 2950, 1399])
        let subset = try TweetsDataset.load()
        #expect(Set(subset.train).isSubset(of: full.train) && Set(subset.test).isSubset(of: full.test))
    }
}
