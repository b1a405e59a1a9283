extension TextAttributionReport {
    /// One row of a method's top-feature table: a word, or the surrogate model's bias.
    struct Feature: Equatable {
        /// What the row shows: the word, or `<BIAS>`.
        let label: String
        /// The word's position in the text, counted from 1; `nil` for the bias.
        let position: Int?
        /// The word's attribution, or the bias.
        let contribution: Float
    }

    /// The `count` words of `method` with the largest nonzero |attribution| (the earlier of
    /// equals), and its bias if it has one, sorted by contribution, largest first (as LIME's and
    /// eli5's text explanations list them); `tokens` are the document's words.
    static func topFeatures(of method: MethodAttribution, tokens: [Token], count: Int) -> [Feature] {
        let values = method.values
        let strongest = values.indices.filter { values[$0] != 0 }.sorted {
            values[$0].magnitude > values[$1].magnitude || values[$0].magnitude == values[$1].magnitude && $0 < $1
        }
        var rows = strongest.prefix(count).map {
            Feature(label: tokens[$0].text, position: $0 + 1, contribution: values[$0])
        }
        if let bias = method.bias { rows.append(Feature(label: "<BIAS>", position: nil, contribution: bias)) }
        return rows.sorted {
            $0.contribution > $1.contribution
                || $0.contribution == $1.contribution && ($0.position ?? .max) < ($1.position ?? .max)
        }
    }
}
