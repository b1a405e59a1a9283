import Foundation
import GlassboxCore

/// A report of word attributions for texts: one self-contained HTML file in which every word is
/// highlighted by how much it supports (red) or opposes (blue) the explained class.
///
/// The report holds one section per explained ``Document``: the explained class with its
/// probability and score, the probabilities of all classes as bars (with their spread when the
/// prediction was sampled, as MC dropout does), a notice when the text was cut to the model's
/// length, and one panel per attribution method (``MethodAttribution``) with the method's
/// parameters, the highlighted text, a legend from −max to +max and a table of the
/// ``topFeatureCount`` words with the largest |attribution| — with LIME's `<BIAS>` row when the
/// method gives an intercept. A footer names the model and the command line when given.
///
/// The file stands alone: CSS inline, no scripts, fonts, images or links, readable in any
/// browser and without JavaScript. Each word is a `<span>` with class `w` and `pos`, `neg` or
/// `zero` for its attribution's sign, its value in `data-attribution` (Swift's shortest exact
/// form of the `Float`) and in its `title`; words keep the user's spelling and spacing, escaped.
public struct TextAttributionReport: Sendable {
    /// The number of words in each method's top-feature table unless another is given.
    public static let defaultTopFeatureCount = 10

    /// The report's title, at its top and in the browser's tab.
    public let title: String
    /// The explained texts, one section each, in order.
    public let documents: [Document]
    /// The model's name (for instance its file name), shown in the footer when given.
    public let modelName: String?
    /// A digest of the model file (for instance its SHA-256), shown in the footer when given.
    public let modelHash: String?
    /// The command that made the report, shown in the footer when given.
    public let commandLine: String?
    /// How many words, largest |attribution| first, each method's table lists.
    public let topFeatureCount: Int
    /// What the coloured values are, which the legends and tables say.
    public let valueMeaning: ValueMeaning

    /// What the values a report colours the words by are.
    public enum ValueMeaning: Sendable, Equatable {
        /// Attributions toward the explained class (red supports it, blue opposes it).
        case attribution
        /// A layer's activations at each token (red positive, blue negative), as `glassbox activations` shows them.
        case activation
    }

    /// A report of `documents` under `title`, whose values are `valueMeaning`.
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` if `documents` is empty or
    ///   `topFeatureCount` is less than 1.
    public init(
        title: String, documents: [Document], modelName: String? = nil, modelHash: String? = nil,
        commandLine: String? = nil, topFeatureCount: Int = defaultTopFeatureCount,
        valueMeaning: ValueMeaning = .attribution
    ) throws {
        guard !documents.isEmpty else {
            throw GlassboxError.invalidArgument("a text attribution report needs at least one text")
        }
        guard topFeatureCount >= 1 else {
            throw GlassboxError.invalidArgument(
                "a report's top-feature table needs at least 1 row, not \(topFeatureCount)")
        }
        self.title = title
        self.documents = documents
        self.modelName = modelName
        self.modelHash = modelHash
        self.commandLine = commandLine
        self.topFeatureCount = topFeatureCount
        self.valueMeaning = valueMeaning
    }

    /// Writes ``html()`` to `url` as UTF-8.
    ///
    /// The write is atomic: the bytes go to a temporary file in the same directory, which is
    /// then renamed over `url`, so readers never see a partial file.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the file cannot be written.
    public func write(to url: URL) throws {
        do {
            try Data(html().utf8).write(to: url, options: .atomic)
        } catch {
            throw GlassboxError.invalidFile(
                path: url.path(percentEncoded: false), reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
