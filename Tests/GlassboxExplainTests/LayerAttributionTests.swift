import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

/// Expects `actual` within `tolerance` of `expected`, relative to the expected values' largest magnitude.
private func expectNear(
    _ actual: [Float], _ expected: [Float], within tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let error = normalisedError(actual, expected)
    #expect(error <= tolerance, "normalised error \(error)", sourceLocation: sourceLocation)
}

@Suite("Layer attribution")
struct LayerAttributionTests {
    /// input 4 → dense "h" 4 → (h + input) → tanh → dense 2: the rest of the model after `h`
    /// also reads the input, as a text model's padding mask does.
    static func skipModel() throws -> Graph {
        let nodes = [
            Node("h", Dense(4, 4), inputs: ["input"]), Node("sum", Add(), inputs: ["h", "input"]),
            Node("tanh", Activation(.tanh), inputs: ["sum"]), Node("logits", Dense(4, 2), inputs: ["tanh"]),
        ]
        return try Graph.initialized(inputShape: [4], nodes: nodes, seed: 4, backend: CPUBackend.shared)
    }

    @Test func theSuffixOfAChainIsTheRestOfTheChain() throws {
        let model = try TestModels.smoothMLP()
        #expect(try model.sideValues(after: "hidden").isEmpty)
        let suffix = try model.suffix(after: "hidden")
        #expect(
            suffix.inputName == "hidden" && suffix.inputShape == [8] && suffix.nodes.map(\.name) == ["tanh", "logits"])
        let x = try TestModels.inputs([3, 5])
        let hidden = try model.forward(x).activation("hidden")
        expectNear(try suffix.predict(hidden).toArray(), try model.predict(x).toArray(), within: 1e-6)
        #expect(throws: GlassboxError.self) { try model.suffix(after: "nowhere") }
    }

    @Test func sideValuesBecomeConstantsOfTheExplainedInput() throws {
        let model = try Self.skipModel()
        #expect(try model.sideValues(after: "h") == ["input"])
        let x = try TestModels.inputs([1, 4])
        #expect(throws: GlassboxError.self) { try model.suffix(after: "h") }
        let record = try model.forward(x)
        let suffix = try model.suffix(after: "h", sideValuesFrom: record)
        expectNear(try suffix.predict(try record.activation("h")).toArray(), try record.output.toArray(), within: 1e-6)
        // Three copies of the layer output give three copies of the output: the constant repeats per sample.
        let copies = try CPUBackend.shared.concat(Array(repeating: try record.activation("h"), count: 3), axis: 0)
        let outputs = try suffix.predict(copies).toArray(), output = try record.output.toArray()
        expectNear(outputs, output + output + output, within: 1e-6)
    }

    @Test func theGradientAtTheLayerIsTheRestOfTheModelsGradient() throws {
        // d logit_t / d h = W2[t] ⊙ (1 − tanh²(h + x)): the skip path's x is held at the input's own value.
        let model = try Self.skipModel()
        let x = try TestModels.inputs([2, 4])
        let record = try model.forward(x)
        let sum = try record.activation("sum").toArray(), weight = try model.parameters["logits.weight"]!.toArray()
        let targets = [1, 0]
        let result = try LayerAttribution(Saliency(absolute: false), layer: "h", reduction: .none)
            .attribute(x, targets: targets, model: model)
        let expected = (0..<2).flatMap { sample in
            (0..<4).map { unit in
                let value = tanh(sum[sample * 4 + unit])
                return weight[targets[sample] * 4 + unit] * (1 - value * value)
            }
        }
        expectNear(try result.values.toArray(), expected, within: 1e-5)
        let norms = try LayerAttribution(Saliency(absolute: false), layer: "h", reduction: .l2Norm)
            .attribute(x, targets: targets, model: model)
        let expectedNorms = (0..<2).map { sample in
            expected[(sample * 4)..<(sample * 4 + 4)].reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        expectNear(try norms.values.toArray(), expectedNorms, within: 1e-5)
    }

    @Test func layerIntegratedGradientsStartsFromTheBaselinesLayerOutputAndIsComplete() throws {
        let model = try TestModels.smoothMLP()
        let x = try TestModels.inputs([2, 5]), baseline = try TestModels.inputs([1, 5], seed: 8)
        let method = LayerAttribution(
            IntegratedGradients(steps: 64), layer: "hidden", reduction: .sum, baselineInput: baseline)
        let result = try method.attribute(x, targets: [0, 1], model: model)
        #expect(result.values.shape == [2])
        let scores = try model.predict(x).toArray(), start = try model.predict(baseline).toArray()
        for (sample, target) in [0, 1].enumerated() {
            let change = scores[sample * 2 + target] - start[target]
            let total = try result.values.toArray()[sample]
            #expect(abs(total - change) < 1e-3 * max(1, abs(change)))
            #expect(abs(result.convergenceDeltas![sample]) < 1e-3)
        }
        // Unreduced, it is Integrated Gradients of the suffix from the baseline's layer output.
        let hidden = try model.forward(x).activation("hidden")
        let direct = try IntegratedGradients(
            steps: 64, baseline: .tensor(try model.forward(baseline).activation("hidden"))
        ).attribute(hidden, targets: [0, 1], model: try model.suffix(after: "hidden"))
        let unreduced = try LayerAttribution(
            IntegratedGradients(steps: 64), layer: "hidden", reduction: .none, baselineInput: baseline
        ).attribute(x, targets: [0, 1], model: model)
        expectNear(try unreduced.values.toArray(), try direct.values.toArray(), within: 1e-6)
    }

    @Test func aBaselineNeedsAMethodThatTakesOne() throws {
        let model = try TestModels.smoothMLP()
        let method = LayerAttribution(Saliency(), layer: "hidden", baselineInput: try TestModels.inputs([1, 5]))
        #expect(throws: GlassboxError.self) {
            try method.attribute(try TestModels.inputs([1, 5]), targets: [0], model: model)
        }
    }
}
