import GlassboxCore

extension TextAttributionReport {
    /// One explained text: its words, the model's prediction for it, and the attributions of one
    /// or more methods for one class.
    ///
    /// Checked when made, so that a report never shows a silent blank or NaN map: every method
    /// gives one finite attribution per word, and probabilities, spreads, score, bias and
    /// convergence delta are finite.
    public struct Document: Sendable {
        /// The section's heading; `nil` for "Text 1", "Text 2"… by position in the report.
        public let heading: String?
        /// The words, in order, as the user wrote them.
        public let tokens: [Token]
        /// The model's class names, in the order of its outputs.
        public let classNames: [String]
        /// The probability of each class (for a sampled prediction, the mean).
        public let probabilities: [Float]
        /// The standard deviation of each class's probability over samples (MC dropout), if the
        /// prediction was sampled.
        public let probabilitySpreads: [Float]?
        /// The index in ``classNames`` of the class the attributions explain.
        public let explainedClass: Int
        /// The model's score (logit) for the explained class, if known.
        public let score: Float?
        /// The attributions, one panel each, in order.
        public let methods: [MethodAttribution]
        /// How the text was cut to the model's length, if it was.
        public let truncation: Truncation?

        /// A text of `tokens` explained for class `explainedClass` by `methods`.
        ///
        /// - Throws: `GlassboxError.invalidArgument(_:)` naming the text if it has no words, if
        ///   `classNames`, `probabilities` and `probabilitySpreads` differ in length,
        ///   `explainedClass` is not one of the classes, a method's values are not one per word,
        ///   any number is NaN or infinite, or a spread is negative.
        public init(
            tokens: [Token], classNames: [String], probabilities: [Float], probabilitySpreads: [Float]? = nil,
            explainedClass: Int, score: Float? = nil, methods: [MethodAttribution], truncation: Truncation? = nil,
            heading: String? = nil
        ) throws {
            let name = heading.map { "text \"\($0)\"" } ?? "text \"\(Self.opening(of: tokens))\""
            func failure(_ problem: String) -> GlassboxError { .invalidArgument("\(name): \(problem)") }
            func checkFinite(_ value: Float, _ what: @autoclosure () -> String) throws {
                guard value.isFinite else { throw failure("\(what()) is \(value); a report needs finite numbers") }
            }
            guard !tokens.isEmpty else { throw failure("no words to explain") }
            guard probabilities.count == classNames.count else {
                throw failure("\(probabilities.count) probabilities for \(classNames.count) classes")
            }
            guard classNames.indices.contains(explainedClass) else {
                throw failure("explained class \(explainedClass) is not one of the \(classNames.count) classes")
            }
            if let probabilitySpreads, probabilitySpreads.count != classNames.count {
                throw failure("\(probabilitySpreads.count) probability spreads for \(classNames.count) classes")
            }
            for (index, probability) in probabilities.enumerated() {
                try checkFinite(probability, "the probability of class \"\(classNames[index])\"")
                let spread = probabilitySpreads?[index] ?? 0
                try checkFinite(spread, "the spread of class \"\(classNames[index])\"")
                guard spread >= 0 else { throw failure("the spread of class \"\(classNames[index])\" is negative") }
            }
            try checkFinite(score ?? 0, "the score")
            for method in methods {
                guard method.values.count == tokens.count else {
                    throw failure("\(method.name) gives \(method.values.count) attributions for \(tokens.count) words")
                }
                for (index, value) in method.values.enumerated() {
                    try checkFinite(
                        value, "\(method.name)'s attribution of word \(index + 1) \"\(tokens[index].text)\"")
                }
                try checkFinite(method.bias ?? 0, "\(method.name)'s bias")
                try checkFinite(method.convergenceDelta ?? 0, "\(method.name)'s convergence delta")
            }
            self.heading = heading
            self.tokens = tokens
            self.classNames = classNames
            self.probabilities = probabilities
            self.probabilitySpreads = probabilitySpreads
            self.explainedClass = explainedClass
            self.score = score
            self.methods = methods
            self.truncation = truncation
        }

        /// The class with the largest probability (the first of equals).
        public var predictedClass: Int {
            probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        }

        /// The first few words of `tokens`, to name a text in messages.
        static func opening(of tokens: [Token]) -> String {
            let shown = tokens.prefix(5).map(\.text).joined(separator: " ")
            return tokens.count > 5 ? shown + " …" : shown
        }
    }

    /// How a text was cut to the length the model reads.
    public struct Truncation: Sendable, Equatable {
        /// The number of tokens the model read: the first ones of the text.
        public let modelLength: Int
        /// The number of tokens in the whole text.
        public let textLength: Int

        /// A text of `textLength` tokens of which the model read the first `modelLength`.
        ///
        /// - Throws: `GlassboxError.invalidArgument(_:)` unless 0 < `modelLength` < `textLength`.
        public init(modelLength: Int, textLength: Int) throws {
            guard modelLength > 0, modelLength < textLength else {
                throw GlassboxError.invalidArgument(
                    "a text of \(textLength) tokens is not truncated to \(modelLength) tokens")
            }
            self.modelLength = modelLength
            self.textLength = textLength
        }
    }
}
