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
        // The inputs' pictures, read once for the superpixels and the panel.
        var cachedPictures: [Image]?
        func pictures() throws -> [Image] {
            if cachedPictures == nil { cachedPictures = try inputOptions.pictures(of: explained.inputs) }
            return cachedPictures!
        }
        let features =
            methodOptions.method.names.contains(where: \.isFeatureMethod)
            ? try featureContext(graph: graph, pictures: pictures, metadata: metadata) : nil
        let runs = try methodOptions.method.names.map { name in
            try MethodRun(
                name, options: methodOptions, features: features, explained: explained, graph: graph,
                pixelBounds: try inputOptions.pixelBounds(
                    channels: graph.inputShape.rank == 3 ? graph.inputShape[0] : 1),
                classNames: names)
        }
        if let output {
            let shape = runs.count == 1 ? runs[0].shape : Shape([runs.count] + runs[0].shape.dimensions)
            try NumpyArray(shape: shape, values: runs.flatMap(\.values)).write(to: URL(fileURLWithPath: output))
        }
        let outlineCount = methodOptions.perturbation.features ?? 5
        try pictureOptions.write(
            runs.map { run in
                HeatmapOptions.Maps(
                    method: run.method.name, attributions: run.values, shape: run.shape,
                    outlines: run.featureOutputs.flatMap { outputs in
                        outputs.context.kind == .image
                            ? { pictures in
                                try pictures.indices.map {
                                    try outputs.outlines(pictures[$0], row: $0, count: outlineCount)
                                }
                            }
                            : nil
                    })
            },
            pictures: pictures,
            captions: runs[0].rows.map {
                "input \($0.input)\nclass \(names.describe($0.target))\np = \(String(format: "%.3f", $0.probability))"
            })
        for run in runs {
            if runs.count > 1 { print("\(run.method.name):") }
            try run.printRows(names: names, featureCount: methodOptions.perturbation.features ?? 10)
        }
        let reports = try runs.map { run in
            try report(run, names: names, options: methodOptions, backend: backend)
        }
        if let summary {
            if reports.count == 1 { try reports[0].writeJSON(to: summary) } else { try reports.writeJSON(to: summary) }
        }
    }

    /// Writes `run`'s chart and prints its SP-LIME pick when asked, and returns its JSON summary.
    func report(_ run: MethodRun, names: ClassNames?, options: MethodOptions, backend: any Backend) throws
        -> ExplanationSummary
    {
        let tableOutputs = run.featureOutputs.flatMap { $0.context.kind == .table ? $0 : nil }
        if let chart {
            guard let tableOutputs else {
                throw GlassboxError.invalidArgument(
                    "--chart draws lime, kernel-shap and shapley-* explanations of table rows")
            }
            var url = URL(fileURLWithPath: chart)
            if options.method.names.count > 1 { url = HeatmapOptions.suffixed(url, run.method.name) }
            for (index, row) in run.rows.enumerated() {
                let title = "\(run.method.name): input \(row.input), class \(names.describe(row.target))"
                try tableOutputs.chart(row: index, title: title, count: options.perturbation.features ?? 10)
                    .image().writePNG(to: run.rows.count == 1 ? url : HeatmapOptions.numbered(url, index))
            }
        }
        var picked: PickedExplanations?
        if options.perturbation.pick != nil {
            guard let tableOutputs else {
                throw GlassboxError.invalidArgument(
                    "--pick chooses among lime, kernel-shap and shapley-* explanations of table rows or texts")
            }
            picked = try options.perturbation.submodularPick(
                try run.rows.indices.map { try tableOutputs.namedValues(row: $0) }, inputs: run.rows.map(\.input),
                noun: "inputs")
        }
        print("\(run.method.name): \(run.shape) on \(backend.name) in \(String(format: "%.3f", run.seconds)) s")
        return ExplanationSummary(
            model: modelOptions.model, input: try inputOptions.file, method: run.method.name,
            parameters: run.method.parameters, device: backend.name, seconds: run.seconds,
            outputShape: run.shape.dimensions, rows: run.rows, submodularPick: picked)
    }

    /// The features of the inputs for a perturbation method: superpixels of the inputs' `pictures`,
    /// the columns of table rows (named by the model file, the CSV header, or by number).
    func featureContext(graph: Graph, pictures: () throws -> [Image], metadata: [String: String]) throws
        -> FeatureContext
    {
        let shape = graph.inputShape, options = methodOptions.perturbation
        switch shape.rank {
        case 3:
            return try .images(try pictures(), inputShape: shape, options: options, backend: graph.backend)
        case 1:
            let names =
                try TableInput.featureNames(in: metadata)
                ?? (inputOptions.isTable
                    ? try NumericTable(contentsOf: URL(fileURLWithPath: try inputOptions.file)).columnNames
                    : (0..<shape[0]).map { "feature \($0)" })
            return try .tables(names: names, options: options, backend: graph.backend)
        default:
            throw GlassboxError.invalidArgument(
                "\(methodOptions.method.names.filter(\.isFeatureMethod).map(\.rawValue).joined(separator: ", ")) explains images (C×H×W), texts or table rows; this model takes \(shape)"
            )
        }
    }
}
