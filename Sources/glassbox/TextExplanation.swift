import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN
import GlassboxText

/// `glassbox explain` on texts: word-level attributions of a text model's predictions, by
/// every method `--method` lists, printed as each text's top words and written as `.npy`, a
/// JSON summary and the highlighted-text HTML report.
///
/// Gradient, path and noise methods explain the embedding's output (``LayerAttribution``, as
/// Captum's layer methods) and give each word the sum of its vector's attribution (saliency:
/// its norm); Integrated Gradients starts from a text of `<pad>` tokens (`--baseline unk` for
/// `<unk>`); occlusion replaces each word by `<unk>` (`--baseline pad`, or `remove` to drop it).
struct TextExplanation {
    /// The texts and their model.
    let inputs: TextInputs
    /// The method options of the command.
    let methodOptions: MethodOptions
    /// The class names to show: `--labels`, else the model file's, else none.
    let classNames: [String]?

    /// One method's result on every explained text.
    struct MethodResult {
        var method: any AttributionMethod
        /// N×T word attributions.
        var values: [Float]
        var convergenceDeltas: [Float]?
        /// Per text, the perturbation methods' intercept or base value (the report's `<BIAS>`).
        var baseValues: [Float]?
        var seconds: Double
    }

    /// The JSON `--summary` of a text explanation.
    struct Summary: Codable {
        struct Text: Codable {
            var index: Int
            var text: String
            var tokens: [String]
            var truncated: Bool
            var target: Int
            var label: String?
            var probability: Float
            var score: Float
            var methods: [Method]
        }

        struct Method: Codable {
            var method: String
            var attributions: [Float]
            var convergenceDelta: Float?
        }

        var model: String
        var device: String
        var methods: [String: [String: String]]
        var seconds: [String: Double]
        var texts: [Text]
        /// `--pick`: the texts SP-LIME picks, by the first perturbation method's explanations.
        var submodularPick: PickedExplanations?
    }

    /// Explains every text toward `targets` (see `ExplanationTargets`), prints the top words,
    /// and writes what is asked.
    func run(
        targets requested: [Int], model: String, output: String?, summary: String?, report: String?
    ) throws {
        let graph = inputs.graph, backend = graph.backend
        let explained = try ExplanationTargets(inputs: inputs.ids, requested: requested, model: graph)
        let scores = explained.scores, classes = explained.distributions[0].count
        let results = try methodOptions.method.names.map { name in
            let method = try textMethod(name)
            let started = Date()
            let attribution: Attribution, baseValues: [Float]?
            if let featureMethod = method as? any FeatureAttributionMethod {
                let result = try featureMethod.featureAttribution(
                    explained.inputs, targets: explained.targets, model: graph)
                (attribution, baseValues) = (result.attribution, result.explanations.map { Float($0.baseValue) })
            } else {
                (attribution, baseValues) = (
                    try method.attribute(explained.inputs, targets: explained.targets, model: graph), nil
                )
            }
            let values = try attribution.values.toArray()
            guard values.allSatisfy(\.isFinite) else {
                throw GlassboxError.invalidModel("\(method.name) produced NaN or infinite attributions")
            }
            return MethodResult(
                method: method, values: values, convergenceDeltas: attribution.convergenceDeltas,
                baseValues: baseValues, seconds: Date().timeIntervalSince(started))
        }
        let length = inputs.pipeline.sequenceLength
        func name(_ index: Int) -> String { classNames.map { $0[index] } ?? "class \(index)" }
        for (row, input) in explained.inputIndices.enumerated() {
            let words = inputs.reportTokens(input).map(\.text), target = explained.targets[row]
            print("text \(input): \(inputs.texts[input])")
            print(
                "  y=\(name(target)) (probability \(String(format: "%.3f", explained.probabilities[row])), score \(String(format: "%.3f", scores[row])))"
            )
            for result in results {
                let values = Array(result.values[(row * length)..<(row * length + words.count)])
                let top = values.indices.sorted { abs(values[$0]) > abs(values[$1]) }.prefix(10)
                let delta = result.convergenceDeltas.map { String(format: " (convergence delta %.3g)", $0[row]) } ?? ""
                print(
                    "  \(result.method.name)\(delta): "
                        + top.map { "\(words[$0]) \(String(format: "%+.3f", values[$0]))" }.joined(separator: ", "))
            }
        }
        var picked: PickedExplanations?
        if methodOptions.perturbation.pick != nil {
            guard let result = results.first(where: { $0.method is any FeatureAttributionMethod }) else {
                throw GlassboxError.invalidArgument("--pick chooses among lime, kernel-shap or shapley-* explanations")
            }
            picked = try methodOptions.perturbation.submodularPick(
                explained.inputIndices.enumerated().map { row, input in
                    var seen = Set<String>()
                    return inputs.reportTokens(input).enumerated().compactMap { position, token in
                        seen.insert(token.text).inserted
                            ? (token.text, Double(result.values[row * length + position])) : nil
                    }
                }, inputs: explained.inputIndices, noun: "texts")
        }
        let count = explained.targets.count
        if let output {
            let shape: Shape = results.count == 1 ? [count, length] : [results.count, count, length]
            try NumpyArray(shape: shape, values: results.flatMap(\.values)).write(to: URL(fileURLWithPath: output))
        }
        if let summary {
            let texts = explained.inputIndices.enumerated().map { row, input in
                let shown = inputs.readCount(input)
                return Summary.Text(
                    index: input, text: inputs.texts[input], tokens: inputs.reportTokens(input).map(\.text),
                    truncated: inputs.encodings[input].isTruncated, target: explained.targets[row],
                    label: classNames?[explained.targets[row]], probability: explained.probabilities[row],
                    score: scores[row],
                    methods: results.map { result in
                        Summary.Method(
                            method: result.method.name,
                            attributions: Array(result.values[(row * length)..<(row * length + shown)]),
                            convergenceDelta: result.convergenceDeltas?[row])
                    })
            }
            try Summary(
                model: model, device: backend.name,
                methods: Dictionary(results.map { ($0.method.name, parameters(of: $0.method)) }) { first, _ in first },
                seconds: Dictionary(results.map { ($0.method.name, $0.seconds) }) { first, _ in first }, texts: texts,
                submodularPick: picked
            ).writeJSON(to: summary)
        }
        if let report {
            let documents = try explained.inputIndices.enumerated().map { row, input in
                let tokens = inputs.reportTokens(input)
                return try TextAttributionReport.Document(
                    tokens: tokens, classNames: classNames ?? (0..<classes).map { "class \($0)" },
                    probabilities: explained.distributions[input], explainedClass: explained.targets[row],
                    score: scores[row],
                    methods: results.map { result in
                        let values = Array(result.values[(row * length)..<(row * length + tokens.count)])
                        let delta = result.convergenceDeltas?[row]
                        return TextAttributionReport.MethodAttribution(
                            name: result.method.name,
                            parameters: parameters(of: result.method).sorted { $0.key < $1.key }.map {
                                ($0.key, $0.value)
                            },
                            values: values,
                            bias: result.baseValues?[row]
                                ?? delta.map {
                                    scores[row]
                                        - (result.values[(row * length)..<((row + 1) * length)].reduce(0, +) - $0)
                                },
                            convergenceDelta: delta)
                    },
                    truncation: try inputs.truncation(input), heading: "text \(input)")
            }
            try TextAttributionReport(
                title: "Word attributions: \(URL(fileURLWithPath: model).lastPathComponent)", documents: documents,
                modelName: model, commandLine: CommandLine.arguments.joined(separator: " ")
            ).write(to: URL(fileURLWithPath: report))
        }
    }

    /// The parameters of `method` to show, with the tokens of a baseline or an occlusion spelled out.
    func parameters(of method: any AttributionMethod) -> [String: String] {
        var parameters = method.parameters
        if let occlusion = method as? TokenOcclusion {
            switch occlusion.mode {
            case .remove: parameters["mode"] = "remove"
            case .replace(let id):
                parameters["mode"] = "replace with \(inputs.pipeline.vocabulary.token(at: id) ?? String(id))"
            }
        }
        if let baseline = (method as? LayerAttribution)?.baselineInput, let id = try? baseline.toArray().first {
            parameters["baselineInput"] =
                "\(inputs.pipeline.vocabulary.token(at: Int(id)) ?? String(Int(id))) × \(baseline.shape[1])"
        }
        return parameters
    }

    /// The lowest and highest value of the explained embeddings: the input bounds of LRP's z^B rule.
    func embeddingRange() throws -> (low: [Float], high: [Float]) {
        let embeddings = try inputs.graph.forward(inputs.ids).activation(try inputs.embeddingLayer()).toArray()
        return ([embeddings.min() ?? 0], [embeddings.max() ?? 0])
    }

    /// The word-level form of method `name`.
    func textMethod(_ name: MethodName) throws -> any AttributionMethod {
        let vocabulary = inputs.pipeline.vocabulary, length = inputs.pipeline.sequenceLength
        switch name {
        case .cam, .gradCAM, .gradCAMPlusPlus, .guidedGradCAM, .rise, .scoreCAM:
            throw GlassboxError.invalidArgument(
                "\(name.rawValue) maps image regions; for text use integrated-gradients, saliency, input-x-gradient, smoothgrad, occlusion, lrp, lime, kernel-shap, shapley-exact, shapley-sampling"
            )
        case .lime, .kernelShap, .shapleyExact, .shapleySampling:
            return try methodOptions.perturbation.featureMethod(
                name,
                context: try .texts(
                    paddingID: vocabulary.paddingID, unknownID: vocabulary.unknownID,
                    options: methodOptions.perturbation),
                samples: methodOptions.samples, seed: methodOptions.seed, batchSize: methodOptions.batchSize)
        case .occlusion:
            let mode: TokenOcclusion.Mode =
                switch methodOptions.baseline {
                case "remove": .remove
                default: .replace(with: try tokenID(methodOptions.baseline, default: vocabulary.unknownID))
                }
            return TokenOcclusion(mode: mode, paddingIndex: vocabulary.paddingID, batchSize: methodOptions.batchSize)
        default:
            let layer = try inputs.embeddingLayer()
            var options = methodOptions
            options.baseline = "zero"
            let usesLRP = name == .lrp || (name.noiseStatistic != nil && methodOptions.base == .lrp)
            let method = try options.attributionMethod(
                name, inputShape: inputs.graph.shapes[layer]!.sampleShape,
                pixelBounds: usesLRP ? try embeddingRange() : ([], []),
                backend: inputs.graph.backend)
            let usesSaliency = name == .saliency || (name.noiseStatistic != nil && methodOptions.base == .saliency)
            var baseline: Tensor?
            if name == .integratedGradients {
                let id = try tokenID(methodOptions.baseline, default: vocabulary.paddingID)
                baseline = try inputs.graph.backend.upload(
                    Array(repeating: Float(id), count: length), shape: [1, length])
            }
            return LayerAttribution(
                method, layer: layer, reduction: usesSaliency && !methodOptions.signed ? .l2Norm : .sum,
                baselineInput: baseline)
        }
    }

    /// The token id `--baseline` names for text: `pad`, `unk`, an id, or `default` for "zero" (the option's default).
    func tokenID(_ text: String, default fallback: Int) throws -> Int {
        let vocabulary = inputs.pipeline.vocabulary
        switch text {
        case "zero": return fallback
        case "pad": return vocabulary.paddingID
        case "unk": return vocabulary.unknownID
        default:
            guard let id = Int(text), (0..<vocabulary.count).contains(id) else {
                throw GlassboxError.invalidArgument(
                    "--baseline for text is pad, unk, remove (occlusion) or a token id below \(vocabulary.count), got '\(text)'"
                )
            }
            return id
        }
    }
}
