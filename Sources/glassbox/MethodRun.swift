import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxNN

/// One method of `glassbox explain` run on images, `.npy` tensors or table rows: its
/// attributions, and for the perturbation methods over features their explanations.
struct MethodRun {
    let method: any AttributionMethod
    /// The attributions, N×… (the input's shape, or the CAM family's maps).
    let values: [Float]
    let shape: Shape
    /// For lime, kernel-shap and shapley-*: each row's explanation by features.
    let featureOutputs: FeatureExplanationOutputs?
    /// The summary row of each explained (input, target) pair.
    let rows: [ExplanationSummary.Row]
    let seconds: Double

    /// Runs method `name` on the explained inputs of `graph`.
    init(
        _ name: MethodName, options: MethodOptions, features: FeatureContext?, explained: ExplanationTargets,
        graph: Graph, pixelBounds: (low: [Float], high: [Float]), classNames: ClassNames?
    ) throws {
        method = try options.attributionMethod(
            name, inputShape: graph.inputShape, pixelBounds: pixelBounds, backend: graph.backend, features: features)
        let started = Date()
        let attribution: Attribution
        if let features, let featureMethod = method as? any FeatureAttributionMethod {
            let result = try featureMethod.featureAttribution(
                explained.inputs, targets: explained.targets, model: graph)
            let sampleCount = graph.inputShape.count, inputs = try explained.inputs.toArray()
            featureOutputs = FeatureExplanationOutputs(
                context: features, result: result,
                rows: (0..<explained.targets.count).map {
                    Array(inputs[($0 * sampleCount)..<(($0 + 1) * sampleCount)])
                },
                isLime: method is Lime)
            attribution = result.attribution
        } else {
            featureOutputs = nil
            attribution = try method.attribute(explained.inputs, targets: explained.targets, model: graph)
        }
        values = try attribution.values.toArray()
        shape = attribution.values.shape
        seconds = Date().timeIntervalSince(started)
        guard values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidModel(
                "\(method.name) produced NaN or infinite attributions (check the input's scale and the model)")
        }
        let featureOutputs = featureOutputs
        rows = try explained.targets.indices.map { row in
            ExplanationSummary.Row(
                input: explained.inputIndices[row], target: explained.targets[row],
                label: classNames?.names[explained.targets[row]], probability: explained.probabilities[row],
                convergenceDelta: attribution.convergenceDeltas?[row],
                conservation: attribution.conservation?[row], features: try featureOutputs?.summary(row: row))
        }
    }

    /// Prints each row's target and probability, IG's convergence delta, LRP's conservation, and
    /// the perturbation methods' `featureCount` largest features.
    func printRows(names: ClassNames?, featureCount: Int) throws {
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
            for line in try featureOutputs?.lines(row: index, count: featureCount) ?? [] { print(line) }
        }
    }
}
