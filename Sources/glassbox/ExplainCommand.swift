import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN

/// `glassbox explain`: attributions of a model's prediction to its input.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract:
            "Explain a model's prediction: saliency, SmoothGrad, Integrated Gradients, guided backprop, CAM family, occlusion.",
        discussion: """
            N inputs and T targets pair up as NumPy broadcasts: no --target explains each input's top class, one target \
            applies to every input, T = N pairs them in order, and a single input is explained for each of T targets. \
            Row r of the output explains pair r.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var inputOptions: ImageInputOptions

    @OptionGroup var textOptions: TextInputOptions

    @OptionGroup var methodOptions: MethodOptions

    @Option(parsing: .upToNextOption, help: "The class(es) to explain (default: each input's top class).")
    var target: [Int] = []

    @OptionGroup var labelOptions: LabelOptions

    @Option(help: "Write the attributions (one row per explanation) to this .npy file.")
    var output: String?

    @OptionGroup var pictureOptions: HeatmapOptions

    @Option(
        help:
            "Write a JSON summary (targets, probabilities, method and parameters, convergence delta, device, time) to this file."
    )
    var summary: String?

    @Option(
        help:
            "Text: write the highlighted-text HTML report (the prediction, the class probabilities, every word coloured by each method's attribution, the top words) to this file."
    )
    var report: String?

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        try CommandInputs.validate(image: inputOptions, text: textOptions)
        if textOptions.isGiven {
            guard pictureOptions.heatmap == nil, pictureOptions.panel == nil else {
                throw ValidationError("--heatmap and --panel draw images; for text write --report")
            }
            guard output != nil || summary != nil || report != nil else {
                throw ValidationError("nothing to write: give --report, --output and/or --summary")
            }
        } else {
            guard report == nil else { throw ValidationError("--report is for text; images use --panel") }
            guard output != nil || pictureOptions.heatmap != nil || pictureOptions.panel != nil || summary != nil else {
                throw ValidationError("nothing to write: give --output, --heatmap, --panel and/or --summary")
            }
        }
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        if textOptions.isGiven {
            let inputs = try textOptions.load(modelOptions.source, backend: backend)
            try TextExplanation(
                inputs: inputs, methodOptions: methodOptions,
                classNames: try labelOptions.classNames(for: inputs.graph)?.names ?? inputs.classNames
            ).run(targets: target, model: modelOptions.model, output: output, summary: summary, report: report)
            return
        }
        let (graph, batch) = try inputOptions.load(modelOptions.source, backend: backend)
        let names = try labelOptions.classNames(for: graph)
        var methodOptions = methodOptions
        methodOptions.layer = try methodOptions.layer.map { try graph.nodeName(matching: $0, option: "--layer") }
        let explained = try ExplanationTargets(inputs: batch, requested: target, model: graph)
        let method = try methodOptions.attributionMethod(
            inputShape: graph.inputShape,
            pixelBounds: try inputOptions.pixelBounds(channels: graph.inputShape.rank == 3 ? graph.inputShape[0] : 1),
            backend: backend)
        let started = Date()
        let attribution = try method.attribute(explained.inputs, targets: explained.targets, model: graph)
        let values = try attribution.values.toArray()
        let seconds = Date().timeIntervalSince(started)
        guard values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidModel(
                "\(method.name) produced NaN or infinite attributions (check the input's scale and the model)")
        }
        if let output {
            try NumpyArray(shape: attribution.values.shape, values: values).write(to: URL(fileURLWithPath: output))
        }
        let rows = explained.targets.indices.map { row in
            ExplanationSummary.Row(
                input: explained.inputIndices[row], target: explained.targets[row],
                label: names?.names[explained.targets[row]], probability: explained.probabilities[row],
                convergenceDelta: attribution.convergenceDeltas?[row],
                conservation: attribution.conservation?[row])
        }
        try pictureOptions.write(
            attributions: values, shape: attribution.values.shape,
            pictures: { try inputOptions.pictures(of: explained.inputs) },
            captions: rows.map {
                "input \($0.input)\nclass \(names.describe($0.target))\np = \(String(format: "%.3f", $0.probability))"
            })
        for row in rows {
            let delta = row.convergenceDelta.map { String(format: "  convergence delta %.3g", $0) } ?? ""
            let conservation =
                row.conservation.map {
                    String(
                        format: "  relevance sum %.4g of score %.4g (conservation error %.3g)", $0.relevanceSum,
                        $0.score, $0.error)
                } ?? ""
            print(
                "input \(row.input)  target \(names.describe(row.target)) (p = \(String(format: "%.4f", row.probability)))\(delta)\(conservation)"
            )
        }
        print("\(method.name): \(attribution.values.shape) on \(backend.name) in \(String(format: "%.3f", seconds)) s")
        if let summary {
            let report = ExplanationSummary(
                model: modelOptions.model, input: try inputOptions.file, method: method.name,
                parameters: method.parameters,
                device: backend.name, seconds: seconds, outputShape: attribution.values.shape.dimensions, rows: rows)
            try report.writeJSON(to: summary)
        }
    }
}
