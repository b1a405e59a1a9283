import Foundation

extension TextAttributionReport {
    /// The report as one self-contained HTML document (see ``TextAttributionReport``).
    public func html() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escaped(title))</title>
            <style>
            \(Self.stylesheet)
            </style>
            </head>
            <body>
            <h1>\(Self.escaped(title))</h1>

            """
        for (index, document) in documents.enumerated() {
            html += section(document, number: index + 1)
        }
        html += footer()
        html += "</body>\n</html>\n"
        return html
    }

    /// The section of `document`, the `number`th of the report.
    func section(_ document: Document, number: Int) -> String {
        let explained = document.explainedClass, predicted = document.predictedClass
        var html = "<section class=\"document\" id=\"text-\(number)\">\n"
        html += "<h2>\(Self.escaped(document.heading ?? "Text \(number)"))</h2>\n"
        var prediction = "probability \(Self.probability(document.probabilities[explained]))"
        if let score = document.score { prediction += ", score \(String(format: "%.3f", Double(score)))" }
        html += "<p class=\"prediction\">Explained class: y=<strong>\(Self.escaped(document.classNames[explained]))"
        html += "</strong> (\(prediction))"
        if predicted != explained {
            html += "; the model predicts y=<strong>\(Self.escaped(document.classNames[predicted]))</strong>"
            html += " (probability \(Self.probability(document.probabilities[predicted])))"
        }
        html += "</p>\n"
        html += probabilityBars(document)
        if let truncation = document.truncation {
            html += "<p class=\"notice\">Truncated to the model's length: the model read the first "
            html += "\(truncation.modelLength) of the text's \(truncation.textLength) tokens; "
            html += "the rest is neither shown nor explained.</p>\n"
        }
        html += "<div class=\"methods\">\n"
        for method in document.methods {
            html += panel(method, document: document)
        }
        html += "</div>\n</section>\n"
        return html
    }

    /// The probabilities of `document`'s classes as horizontal bars, with ± spread whiskers.
    func probabilityBars(_ document: Document) -> String {
        var html = "<table class=\"probabilities\">\n"
        for (index, name) in document.classNames.enumerated() {
            let probability = min(max(document.probabilities[index], 0), 1)
            let spread = document.probabilitySpreads?[index]
            html += index == document.explainedClass ? "<tr class=\"explained\">" : "<tr>"
            html += "<th>\(Self.escaped(name))</th><td><div class=\"track\">"
            html += "<div class=\"fill\" style=\"width: \(Self.percent(probability))\"></div>"
            if let spread {
                let low = max(probability - spread, 0), high = min(probability + spread, 1)
                html +=
                    "<div class=\"whisker\" style=\"left: \(Self.percent(low)); width: \(Self.percent(high - low))\">"
                html += "</div>"
            }
            html += "</div></td><td>\(Self.probability(document.probabilities[index]))"
            if let spread { html += " ± \(Self.probability(spread))" }
            html += "</td></tr>\n"
        }
        html += "</table>\n"
        if document.probabilitySpreads != nil {
            html += "<p class=\"caption\">Mean probability over samples ± one standard deviation.</p>\n"
        }
        return html
    }

    /// The panel of one method: its name and parameters, the highlighted text, the legend and
    /// the top-feature table.
    func panel(_ method: MethodAttribution, document: Document) -> String {
        let scale = ColorScale(values: method.values)
        var html = "<div class=\"method\" data-method=\"\(Self.escaped(method.name))\">\n"
        html += "<h3>\(Self.escaped(method.name))</h3>\n"
        var settings = method.parameters.map { "\(Self.escaped($0.name)) = \(Self.escaped($0.value))" }
        if let delta = method.convergenceDelta { settings.append("convergence delta = \(Self.number(delta))") }
        if !settings.isEmpty { html += "<p class=\"parameters\">\(settings.joined(separator: " · "))</p>\n" }
        html += "<p class=\"text\">"
        for (token, value) in zip(document.tokens, method.values) {
            html += "<span class=\"w \(ColorScale.signClass(of: value))\" data-attribution=\"\(value)\""
            html += " title=\"\(scale.label(of: value))\""
            if let background = scale.background(of: value) { html += " style=\"background-color: \(background)\"" }
            html += ">\(Self.escaped(token.text))</span>\(Self.escaped(token.separator))"
        }
        html += "</p>\n"
        let explained = Self.escaped(document.classNames[document.explainedClass])
        let lowest = scale.label(of: -scale.maximum), highest = scale.label(of: scale.maximum)
        html += "<div class=\"legend\"><div class=\"legend-bar\"></div><div class=\"legend-scale\">"
        html += "<span>\(lowest)</span><span>0</span><span>\(highest)</span></div>"
        switch valueMeaning {
        case .attribution: html += "red supports <strong>\(explained)</strong>, blue opposes it</div>\n"
        case .activation: html += "red: positive activation, blue: negative</div>\n"
        }
        html += featureTable(method, document: document, scale: scale)
        html += "</div>\n"
        return html
    }

    /// The table of a method's top features, or a note when every attribution is 0 and there is
    /// no bias.
    func featureTable(_ method: MethodAttribution, document: Document, scale: ColorScale) -> String {
        let features = Self.topFeatures(of: method, tokens: document.tokens, count: topFeatureCount)
        guard !features.isEmpty else { return "<p class=\"caption\">Every attribution is 0.</p>\n" }
        var html =
            "<table class=\"features\">\n<thead><tr><th>\(valueMeaning == .attribution ? "Contribution" : "Activation")</th><th>Feature</th></tr></thead>\n<tbody>\n"
        for feature in features {
            let background = scale.background(of: feature.contribution).map { " style=\"background-color: \($0)\"" }
            html += "<tr><td class=\"contribution\"\(background ?? "")>\(scale.label(of: feature.contribution))</td>"
            html += "<td>\(Self.escaped(feature.label))"
            if let position = feature.position { html += " <span class=\"position\">word \(position)</span>" }
            html += "</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// The footer: the model and the command line when given, and what made the report.
    func footer() -> String {
        var html = "<footer>\n"
        if let modelName {
            html += "<p>Model: \(Self.escaped(modelName))"
            if let modelHash { html += " (\(Self.escaped(modelHash)))" }
            html += "</p>\n"
        } else if let modelHash {
            html += "<p>Model: \(Self.escaped(modelHash))</p>\n"
        }
        if let commandLine { html += "<p>Command: <code>\(Self.escaped(commandLine))</code></p>\n" }
        html += "<p>Made by Glassbox.</p>\n</footer>\n"
        return html
    }

    /// A probability with three decimals.
    static func probability(_ value: Float) -> String { String(format: "%.3f", Double(value)) }

    /// A fraction in 0…1 as a CSS percentage.
    static func percent(_ fraction: Float) -> String { String(format: "%.1f%%", Double(fraction) * 100) }

    /// A convergence delta with three significant digits.
    static func number(_ value: Float) -> String { String(format: "%.3g", Double(value)) }
}
