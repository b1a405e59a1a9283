import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Text attribution reports highlight words in one self-contained HTML file")
struct TextAttributionReportTests {
    typealias Report = TextAttributionReport

    static let classes = ["negative", "neutral", "positive"]

    /// The lecture's sentence and one with mixed signs, each explained by three methods for
    /// three classes; the second was sampled (MC dropout), cut to the model's length, and its
    /// explained class is not the predicted one.
    static func lectureReport() throws -> Report {
        let lecture = try Report.Document(
            tokens: Report.Token.words(of: "I absolutely love this tech talk but"), classNames: classes,
            probabilities: [0.05, 0.08, 0.87], explainedClass: 2, score: 1.897,
            methods: [
                Report.MethodAttribution(
                    name: "integrated-gradients", parameters: [("steps", "50"), ("baseline", "padding")],
                    values: [0.02, 0.41, 0.93, 0.05, 0.12, 0.18, -0.37], convergenceDelta: 0.0031),
                Report.MethodAttribution(
                    name: "occlusion", parameters: [("window", "1 word"), ("baseline", "<unk>")],
                    values: [0.01, 0.30, 0.75, -0.02, 0.08, 0, -0.28]),
                Report.MethodAttribution(
                    name: "saliency", parameters: [("absolute", "false")],
                    values: [0.03, 0.22, 0.51, 0.04, 0.09, 0.11, -0.45]),
            ])
        let mixed = try Report.Document(
            tokens: Report.Token.words(of: "The slides were dull, but the speaker was brilliant!"),
            classNames: classes, probabilities: [0.22, 0.41, 0.37], probabilitySpreads: [0.05, 0.07, 0.06],
            explainedClass: 2, score: 0.412,
            methods: [
                Report.MethodAttribution(
                    name: "integrated-gradients", parameters: [("steps", "50"), ("baseline", "padding")],
                    values: [0.01, -0.08, 0.02, -0.64, -0.05, 0.03, 0.21, 0.04, 0.71], convergenceDelta: -0.0124),
                Report.MethodAttribution(
                    name: "occlusion", parameters: [("window", "1 word"), ("baseline", "<unk>")],
                    values: [0.0, -0.05, 0.01, -0.52, -0.11, 0.02, 0.15, 0.0, 0.66]),
                Report.MethodAttribution(
                    name: "saliency", parameters: [("absolute", "false")],
                    values: [0.02, -0.06, 0.03, -0.33, 0.07, 0.01, 0.12, 0.03, 0.38]),
            ],
            truncation: try Report.Truncation(modelLength: 9, textLength: 14))
        return try Report(
            title: "Sentiment explanations", documents: [lecture, mixed], modelName: "sentiment-lstm.glassbox",
            modelHash: "sha256 3f9a1c0e",
            commandLine: "glassbox explain --model sentiment-lstm.glassbox "
                + "--text-file talks.txt --method integrated-gradients,occlusion,saliency --report r.html")
    }

    /// A highlighted word as the report (or a browser's serialisation of it) writes it.
    struct Word: Equatable {
        let sign: String
        let attribution: Float
        let text: String
    }

    /// The highlighted words of `html`, in document order, their text unescaped.
    static func words(in html: String) throws -> [Word] {
        let pattern = try Regex(
            #"<span class="w (pos|neg|zero)" data-attribution="([^"]*)" title="[^"]*"(?: style="[^"]*")?>([^<]*)</span>"#
        )
        return html.matches(of: pattern).map { match in
            let sign = String(match.output[1].substring ?? ""), value = String(match.output[2].substring ?? "")
            return Word(sign: sign, attribution: Float(value) ?? .nan, text: unescaped(match.output[3].substring ?? ""))
        }
    }

    /// `text` with HTML's character references for `&`, `<`, `>`, `"` and `'` replaced.
    static func unescaped(_ text: Substring) -> String {
        String(text).replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&#39;", with: "'").replacing("&amp;", with: "&")
    }

    /// How many times `part` occurs in `text`.
    static func occurrences(of part: String, in text: String) -> Int {
        text.ranges(of: part).count
    }

    /// The words the report of `report` must show, document by document, method by method.
    static func expectedWords(_ report: Report) -> [Word] {
        report.documents.flatMap { document in
            document.methods.flatMap { method in
                zip(document.tokens, method.values).map { token, value in
                    Word(sign: value > 0 ? "pos" : value < 0 ? "neg" : "zero", attribution: value, text: token.text)
                }
            }
        }
    }

    /// A one-method document of `words` with attributions `values`.
    static func document(_ words: String, _ values: [Float], bias: Float? = nil) throws -> Report.Document {
        try Report.Document(
            tokens: Report.Token.words(of: words), classNames: ["no", "yes"], probabilities: [0.3, 0.7],
            explainedClass: 1, methods: [Report.MethodAttribution(name: "lime", values: values, bias: bias)])
    }

    /// The message of the `GlassboxError` thrown by `body`, or nil.
    static func errorMessage(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as GlassboxError {
            return error.description
        } catch {
            return nil
        }
    }

    @Test func tokensKeepTheWhitespaceBetweenWords() {
        let tokens = Report.Token.words(of: "  I  love\tit\n")
        #expect(
            tokens == [
                Report.Token("I", separator: "  "), Report.Token("love", separator: "\t"),
                Report.Token("it", separator: "\n"),
            ])
        #expect(Report.Token.words(of: " \n").isEmpty)
    }

    @Test func sectionsShowThePredictionAndEveryClass() throws {
        let html = try Self.lectureReport().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Sentiment explanations</title>"))
        #expect(Self.occurrences(of: "<section class=\"document\"", in: html) == 2)
        #expect(html.contains("<h2>Text 1</h2>") && html.contains("<h2>Text 2</h2>"))
        #expect(html.contains("y=<strong>positive</strong> (probability 0.870, score 1.897)"))
        #expect(html.contains("the model predicts y=<strong>neutral</strong> (probability 0.410)"))
        #expect(Self.occurrences(of: "<div class=\"method\" data-method=", in: html) == 6)
        #expect(html.contains("steps = 50 · baseline = padding · convergence delta = 0.0031"))
        #expect(html.contains("baseline = &lt;unk&gt;"))
        #expect(html.contains("<div class=\"fill\" style=\"width: 87.0%\"></div>"))
        #expect(html.contains("<td>0.410 ± 0.070</td>"))
        #expect(html.contains("<div class=\"whisker\" style=\"left: 34.0%; width: 14.0%\">"))
        #expect(html.contains("Model: sentiment-lstm.glassbox (sha256 3f9a1c0e)"))
        #expect(html.contains("<code>glassbox explain --model sentiment-lstm.glassbox"))
        let first = try #require(html.range(of: "<h2>Text 1</h2>")),
            second = try #require(html.range(of: "<h2>Text 2</h2>"))
        #expect(first.upperBound < second.lowerBound)
    }

    @Test func wordsAreSpansInOrderWithSignAndValue() throws {
        let report = try Self.lectureReport()
        let html = report.html()
        #expect(try Self.words(in: html) == Self.expectedWords(report))
        #expect(
            html.contains(
                "data-attribution=\"-0.37\" title=\"-0.370\" style=\"background-color: rgba(67, 147, 195, 0.398)\">but</span>"
            ))
        #expect(
            html.contains(
                "data-attribution=\"0.93\" title=\"+0.930\" style=\"background-color: rgba(214, 96, 77, 1.000)\">love</span> "
            ))
        #expect(html.contains("<span class=\"w zero\" data-attribution=\"0.0\" title=\"0.000\">talk</span> "))
        #expect(html.contains("<span>-0.930</span><span>0</span><span>+0.930</span>"))
    }

    @Test func colourStrengthIsTheShareOfTheLargestMagnitude() {
        let scale = Report.ColorScale(values: [0.5, -2, 1])
        #expect(scale.maximum == 2)
        #expect(scale.background(of: -2) == "rgba(67, 147, 195, 1.000)")
        #expect(scale.background(of: 0.5) == "rgba(214, 96, 77, 0.250)")
        #expect(scale.background(of: 0) == nil)
        #expect(scale.background(of: 3) == "rgba(214, 96, 77, 1.000)")
        #expect(Report.ColorScale(values: [0, 0]).background(of: 0) == nil)
    }

    @Test func numbersHaveThreeSignificantDigitsOfTheLargestMagnitude() {
        let scale = Report.ColorScale(values: [0.93, -0.05])
        #expect(scale.decimals == 3)
        #expect([scale.label(of: 0.93), scale.label(of: -0.05), scale.label(of: 0)] == ["+0.930", "-0.050", "0.000"])
        #expect(Report.ColorScale(values: [1.897]).label(of: 1.897) == "+1.90")
        #expect(Report.ColorScale(values: [-250]).label(of: -250) == "-250")
        #expect(Report.ColorScale(values: [0.0000123]).label(of: 0.0000123) == "+0.0000123")
        let zero = Report.ColorScale(values: [0, 0])
        #expect((zero.label(of: -zero.maximum), zero.label(of: zero.maximum)) == ("0.000", "0.000"))
    }

    @Test func userTextIsEscaped() throws {
        let tokens = [
            Report.Token("<script>alert(1)</script>"), Report.Token("Tom", separator: " & "),
            Report.Token("\"Jerry's\""), Report.Token("🎉👍🏽", separator: "\n"), Report.Token("fin", separator: ""),
        ]
        let document = try Report.Document(
            tokens: tokens, classNames: ["<b>bad</b>", "good & fine"], probabilities: [0.4, 0.6], explainedClass: 1,
            methods: [
                Report.MethodAttribution(name: "x<y", parameters: [("a\"b", "c'd")], values: [1, -1, 0.5, -0.5, 0])
            ],
            heading: "line 3 of <talks>.txt")
        let report = try Report(title: "A & B <i>", documents: [document], commandLine: "echo '<x>' && true")
        let html = report.html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>bad") && !html.contains("<i>") && !html.contains("<talks>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</span> "))
        #expect(html.contains(">Tom</span> &amp; <span"))
        #expect(html.contains(">&quot;Jerry&#39;s&quot;</span>"))
        #expect(html.contains(">🎉👍🏽</span>\n<span"))
        #expect(html.contains("<title>A &amp; B &lt;i&gt;</title>"))
        #expect(html.contains("data-method=\"x&lt;y\"") && html.contains("a&quot;b = c&#39;d"))
        #expect(html.contains("echo &#39;&lt;x&gt;&#39; &amp;&amp; true"))
        #expect(try Self.words(in: html).map(\.text) == tokens.map(\.text))
    }

    @Test func topFeaturesAreTheLargestMagnitudesSortedByContribution() throws {
        let document = try Self.document("a b c d e f", [0.1, -0.9, 0.5, 0.0, -0.2, 0.5], bias: 0.3)
        let method = document.methods[0]
        let rows = Report.topFeatures(of: method, tokens: document.tokens, count: 4)
        #expect(rows.map(\.label) == ["c", "f", "<BIAS>", "e", "b"])
        #expect(rows.map(\.position) == [3, 6, nil, 5, 2])
        #expect(Report.topFeatures(of: method, tokens: document.tokens, count: 10).count == 6)

        let html = try Report(title: "t", documents: [document], topFeatureCount: 2).html()
        #expect(html.contains("<th>Contribution</th><th>Feature</th>"))
        let rowPattern = try Regex(#"<tr><td class="contribution"[^>]*>([^<]*)</td><td>([^<]*)"#)
        let shown = html.matches(of: rowPattern).map {
            "\($0.output[1].substring ?? "") \($0.output[2].substring ?? "")"
        }
        #expect(shown == ["+0.500 c ", "+0.300 &lt;BIAS&gt;", "-0.900 b "])
    }

    @Test func zeroAttributionsAreNeitherColouredNorListed() throws {
        let html = try Report(title: "t", documents: [Self.document("nothing matters", [0, 0])]).html()
        #expect(try Self.words(in: html).map(\.sign) == ["zero", "zero"])
        #expect(!html.contains("background-color: rgba"))
        #expect(!html.contains("<table class=\"features\">") && html.contains("Every attribution is 0."))
    }

    @Test func theFileStandsAlone() throws {
        let html = try Self.lectureReport().html()
        for forbidden in ["http:", "https:", "<script", "<link", "<img", "src=", "url(", "@import", "@font-face"] {
            #expect(!html.lowercased().contains(forbidden), "found \(forbidden)")
        }
        #expect(html.contains("<meta charset=\"utf-8\">") && html.contains("<style>"))
    }

    @Test func truncationIsNoticed() throws {
        let html = try Self.lectureReport().html()
        #expect(Self.occurrences(of: "class=\"notice\"", in: html) == 1)
        #expect(html.contains("the model read the first 9 of the text's 14 tokens"))
        #expect(throws: GlassboxError.self) { try Report.Truncation(modelLength: 14, textLength: 14) }
    }

    @Test func nonFiniteNumbersAndMismatchedCountsAreRejected() throws {
        let nan = Self.errorMessage { _ = try Self.document("I love it", [0.1, .nan, 0.2]) }
        #expect(
            nan
                == "invalid argument: text \"I love it\": lime's attribution of word 2 \"love\" is nan; a report needs finite numbers"
        )
        let infinite = Self.errorMessage { _ = try Self.document("I love it", [0.1, 0.2, -.infinity]) }
        #expect(infinite?.contains("word 3 \"it\" is -inf") == true)
        #expect(
            Self.errorMessage { _ = try Self.document("I love it", [0.1, 0.2, 0.3], bias: .nan) }?.contains(
                "bias is nan") == true)
        #expect(
            Self.errorMessage { _ = try Self.document("I love it", [0.1, 0.2]) }?.contains("2 attributions for 3 words")
                == true)
        #expect(Self.errorMessage { _ = try Self.document("", []) }?.contains("no words") == true)
        let badClass = Self.errorMessage {
            _ = try Report.Document(
                tokens: [Report.Token("x")], classNames: ["a"], probabilities: [1], explainedClass: 1, methods: [])
        }
        #expect(badClass?.contains("explained class 1 is not one of the 1 classes") == true)
        let nanProbability = Self.errorMessage {
            _ = try Report.Document(
                tokens: [Report.Token("x")], classNames: ["a"], probabilities: [.nan], explainedClass: 0, methods: [])
        }
        #expect(nanProbability?.contains("probability of class \"a\" is nan") == true)
        let negativeSpread = Self.errorMessage {
            _ = try Report.Document(
                tokens: [Report.Token("x")], classNames: ["a"], probabilities: [1], probabilitySpreads: [-0.1],
                explainedClass: 0, methods: [])
        }
        #expect(negativeSpread?.contains("the spread of class \"a\" is negative") == true)
        #expect(Self.errorMessage { _ = try Report(title: "t", documents: []) } != nil)
        #expect(
            Self.errorMessage { _ = try Report(title: "t", documents: [Self.document("a", [1])], topFeatureCount: 0) }
                != nil)
        for message in [nan, infinite] { #expect(message?.contains("\n") == false) }
    }

    @Test func writesTheFileAtomically() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.lectureReport(), file = folder.appending(path: "report.html")
        try report.write(to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == report.html())
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path(percentEncoded: false)) == ["report.html"])
        let missing = folder.appending(path: "no/such/folder/report.html")
        #expect(TestSupport.invalidFileReason { try report.write(to: missing) }?.hasPrefix("cannot write") == true)
    }

    @Test(.enabled(if: HeadlessChromium.isAvailable), .timeLimit(.minutes(3)))
    func chromiumShowsEveryWordHighlighted() async throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.lectureReport(), page = folder.appending(path: "report.html")
        try report.write(to: page)

        let dom = try await HeadlessChromium.dom(of: page)
        #expect(try Self.words(in: dom) == Self.expectedWords(report))

        let shot = folder.appending(path: "report.png")
        let image = try await HeadlessChromium.screenshot(of: page, width: 1200, height: 900, to: shot)
        if let keep = ProcessInfo.processInfo.environment["GLASSBOX_REPORT_SCREENSHOT"] {
            // Kept for a person to look at: the screenshot, and the page beside it.
            let keptShot = URL(filePath: keep),
                keptPage = keptShot.deletingPathExtension().appendingPathExtension("html")
            try? FileManager.default.removeItem(at: keptShot)
            try? FileManager.default.removeItem(at: keptPage)
            try FileManager.default.copyItem(at: shot, to: keptShot)
            try FileManager.default.copyItem(at: page, to: keptPage)
        }
        #expect((image.width, image.height) == (1200, 900))
        var white = 0, dark = 0, reddish = 0, bluish = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let pixel = image.pixel(x: x, y: y)
                let (r, g, b) = (
                    Int(pixel[pixel.startIndex]), Int(pixel[pixel.startIndex + 1]), Int(pixel[pixel.startIndex + 2])
                )
                if r > 245 && g > 245 && b > 245 { white += 1 }
                if r < 80 && g < 80 && b < 80 { dark += 1 }
                if r > g + 30 && r > b + 30 { reddish += 1 }
                if b > r + 30 && b > g + 10 { bluish += 1 }
            }
        }
        let total = image.width * image.height
        #expect(white < total * 98 / 100, "blank screenshot")
        #expect(dark > 2000, "no text: \(dark) dark pixels")
        #expect(reddish > 2000, "\(reddish) reddish pixels")
        #expect(bluish > 500, "\(bluish) bluish pixels")
    }
}
