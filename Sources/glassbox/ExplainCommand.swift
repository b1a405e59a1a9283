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
            "Explain a model's prediction: saliency, SmoothGrad, Integrated Gradients, guided backprop, CAM family, occlusion, LRP, LIME, KernelSHAP, Shapley values, RISE, Score-CAM.",
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

    @Option(
        help:
            "Tables, lime / kernel-shap / shapley-*: draw each row's feature contributions as a bar chart PNG (several rows: NAME-0.png, NAME-1.png, …)."
    )
    var chart: String?

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
            guard
                output != nil || pictureOptions.heatmap != nil || pictureOptions.panel != nil || summary != nil
                    || chart != nil
            else {
                throw ValidationError("nothing to write: give --output, --heatmap, --panel, --chart and/or --summary")
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
        let (graph, batch, metadata) = try inputOptions.loadWithMetadata(modelOptions.source, backend: backend)
        let names =
            try labelOptions.classNames(for: graph) ?? TextInputs.classNames(in: metadata).map { ClassNames(names: $0) }
        var methodOptions = methodOptions
        methodOptions.layer = try methodOptions.layer.map { try graph.nodeName(matching: $0, option: "--layer") }
        let explained = try ExplanationTargets(inputs: batch, requested: target, model: graph)
        let features =
            try methodOptions.singleMethod.isFeatureMethod
            ? try featureContext(graph: graph, inputs: explained.inputs, metadata: metadata) : nil
        let method = try methodOptions.attributionMethod(
            inputShape: graph.inputShape,
            pixelBounds: try inputOptions.pixelBounds(channels: graph.inputShape.rank == 3 ? graph.inputShape[0] : 1),
            backend: backend, features: features)
        let started = Date()
        var featureOutputs: FeatureExplanationOutputs?
        let attribution: Attribution
        if let features, let featureMethod = method as? any FeatureAttributionMethod {
            let result = try featureMethod.featureAttribution(
                explained.inputs, targets: explained.targets, model: graph)
            let sampleCount = graph.inputShape.count, values = try explained.inputs.toArray()
            featureOutputs = FeatureExplanationOutputs(
                context: features, result: result,
                rows: (0..<explained.targets.count).map {
                    Array(values[($0 * sampleCount)..<(($0 + 1) * sampleCount)])
                },
                isLime: method is Lime)
            attribution = result.attribution
        } else {
            attribution = try method.attribute(explained.inputs, targets: explained.targets, model: graph)
        }
        let values = try attribution.values.toArray()
        let seconds = Date().timeIntervalSince(started)
        guard values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidModel(
                "\(method.name) produced NaN or infinite attributions (check the input's scale and the model)")
        }
        if let output {
            try NumpyArray(shape: attribution.values.shape, values: values).write(to: URL(fileURLWithPath: output))
        }
        let rows = try explained.targets.indices.map { row in
            ExplanationSummary.Row(
                input: explained.inputIndices[row], target: explained.targets[row],
                label: names?.names[explained.targets[row]], probability: explained.probabilities[row],
                convergenceDelta: attribution.convergenceDeltas?[row],
                conservation: attribution.conservation?[row], features: try featureOutputs?.summary(row: row))
        }
        let outlineCount = methodOptions.perturbation.features ?? 5
        try pictureOptions.write(
            attributions: values, shape: attribution.values.shape,
            pictures: { try inputOptions.pictures(of: explained.inputs) },
            outlines: featureOutputs.flatMap { outputs in
                outputs.context.kind == .image
                    ? { pictures in
                        try pictures.indices.map { try outputs.outlines(pictures[$0], row: $0, count: outlineCount) }
                    }
                    : nil
            },
            captions: rows.map {
                "input \($0.input)\nclass \(names.describe($0.target))\np = \(String(format: "%.3f", $0.probability))"
            })
        for (index, row) in rows.enumerated() {
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
            if let featureOutputs {
                for line in try featureOutputs.lines(row: index, count: methodOptions.perturbation.features ?? 10) {
                    print(line)
                }
            }
        }
        if let chart {
            guard let featureOutputs, featureOutputs.context.kind == .table else {
                throw GlassboxError.invalidArgument(
                    "--chart draws lime, kernel-shap and shapley-* explanations of table rows")
            }
            let url = URL(fileURLWithPath: chart)
            for (index, row) in rows.enumerated() {
                let title = "\(method.name): input \(row.input), class \(names.describe(row.target))"
                try featureOutputs.chart(row: index, title: title, count: methodOptions.perturbation.features ?? 10)
                    .image().writePNG(to: rows.count == 1 ? url : HeatmapOptions.numbered(url, index))
            }
        }
        var picked: PickedExplanations?
        if methodOptions.perturbation.pick != nil {
            guard let featureOutputs, featureOutputs.context.kind == .table else {
                throw GlassboxError.invalidArgument(
                    "--pick chooses among lime, kernel-shap and shapley-* explanations of table rows or texts")
            }
            picked = try methodOptions.perturbation.submodularPick(
                try rows.indices.map { try featureOutputs.namedValues(row: $0) }, inputs: rows.map(\.input),
                noun: "inputs")
        }
        print("\(method.name): \(attribution.values.shape) on \(backend.name) in \(String(format: "%.3f", seconds)) s")
        if let summary {
            let report = ExplanationSummary(
                model: modelOptions.model, input: try inputOptions.file, method: method.name,
                parameters: method.parameters,
                device: backend.name, seconds: seconds, outputShape: attribution.values.shape.dimensions, rows: rows,
                submodularPick: picked)
            try report.writeJSON(to: summary)
        }
    }

    /// The features of the inputs for a perturbation method: superpixels of images, the columns of
    /// table rows (named by the model file, the CSV header, or by number).
    func featureContext(graph: Graph, inputs: Tensor, metadata: [String: String]) throws -> FeatureContext {
        let shape = graph.inputShape, options = methodOptions.perturbation
        switch shape.rank {
        case 3:
            return try .images(
                try inputOptions.pictures(of: inputs), inputShape: shape, options: options, backend: graph.backend)
        case 1:
            let names =
                try TableInput.featureNames(in: metadata)
                ?? (inputOptions.isTable
                    ? try NumericTable(contentsOf: URL(fileURLWithPath: try inputOptions.file)).columnNames
                    : (0..<shape[0]).map { "feature \($0)" })
            return try .tables(names: names, options: options, backend: graph.backend)
        default:
            throw GlassboxError.invalidArgument(
                "\(try methodOptions.singleMethod.rawValue) explains images (C×H×W), texts or table rows; this model takes \(shape)"
            )
        }
    }
}
