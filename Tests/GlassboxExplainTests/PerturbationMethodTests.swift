import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

/// LIME, KernelSHAP and Shapley values on models whose explanations are known: linear models
/// (φ_i = w_i·(x_i − E b_i)), efficiency on a CNN, and KernelSHAP against exact enumeration.
struct PerturbationMethodTests {
    /// dense 6 → 2: f(x) = Wx + b.
    static func linearModel() throws -> Graph {
        try Graph.initialized(
            inputShape: [6], nodes: Graph.sequentialNodes([("logits", Dense(6, 2))]), seed: 6,
            backend: CPUBackend.shared)
    }

    /// The Shapley values of output `target` of a linear model: w_i·(x_i − mean of the background's column i),
    /// summed over each feature's elements.
    static func linearShapleyValues(
        model: Graph, input: [Float], background: [Float], target: Int, features: [Int]
    ) throws -> [Double] {
        let weight = try model.parameters["logits.weight"]!.toArray(), columns = input.count
        let rows = background.count / columns
        var values = [Double](repeating: 0, count: (features.max() ?? 0) + 1)
        for (column, feature) in features.enumerated() {
            let mean = (0..<rows).map { Double(background[$0 * columns + column]) }.reduce(0, +) / Double(rows)
            values[feature] += Double(weight[target * columns + column]) * (Double(input[column]) - mean)
        }
        return values
    }

    @Test(arguments: [[0, 1, 2, 3, 4, 5], [0, 0, 1, 2, 2, 1]])
    func everyShapleyEstimatorIsExactOnALinearModel(features: [Int]) throws {
        let model = try Self.linearModel(), x = try TestModels.inputs([1, 6])
        let background = try TestModels.inputs([3, 6], seed: 9)
        let expected = try Self.linearShapleyValues(
            model: model, input: try x.toArray(), background: try background.toArray(), target: 1, features: features)
        let mask = try FeatureMask(elementFeatures: features)
        let methods: [any FeatureAttributionMethod] = [
            ShapleyValues(features: .mask(mask), absence: .background(background)),
            ShapleyValues(
                features: .mask(mask), absence: .background(background), estimator: .sampling(permutations: 3)),
            KernelShap(features: .mask(mask), absence: .background(background)),
        ]
        let scores = try model.predict(x).toArray(), nullScores = try model.predict(background).toArray()
        for method in methods {
            let result = try method.featureAttribution(x, targets: [1], model: model)
            let explanation = result.explanations[0]
            #expect(normalisedError(explanation.values.map(Float.init), expected) < 1e-5, "\(method.name)")
            #expect(abs(explanation.prediction - Double(scores[1])) < 1e-5)
            #expect(abs(explanation.baseValue - Double(nullScores[1] + nullScores[3] + nullScores[5]) / 3) < 1e-5)
            let map = try result.attribution.values.toArray()
            #expect(map == features.map { Float(explanation.values[$0]) }, "each element shows its feature's value")
        }
    }

    /// A grid of `cells`×`cells` features over a 2×6×6 input.
    static func gridMask(cells: Int) throws -> FeatureMask {
        let side = 6 / cells
        let labels = (0..<36).map { ($0 / 6 / side) * cells + ($0 % 6) / side }
        return try FeatureMask(pixelLabels: labels, channels: 2)
    }

    @Test func shapleyValuesAddUpToThePredictionLessTheBaseValueOnACNN() throws {
        let model = try TestModels.pooledCNN(), x = try TestModels.inputs([2, 2, 6, 6])
        let mask = try Self.gridMask(cells: 3)
        let methods: [any FeatureAttributionMethod] = [
            ShapleyValues(features: .mask(mask), absence: .featureMean),
            ShapleyValues(features: .mask(mask), absence: .baseline(.zero), estimator: .sampling(permutations: 5)),
            KernelShap(features: .mask(mask), absence: .baseline(.constant(0.5)), samples: 100),
        ]
        for method in methods {
            for explanation in try method.featureAttribution(x, targets: [0, 2], model: model).explanations {
                let total = explanation.values.reduce(0, +)
                #expect(abs(total - (explanation.prediction - explanation.baseValue)) < 1e-4, "\(method.name)")
            }
        }
    }

    @Test func kernelShapThatEnumeratesEveryCoalitionEqualsTheExactValues() throws {
        let model = try TestModels.pooledCNN(), x = try TestModels.inputs([1, 2, 6, 6])
        let mask = try FeatureMask(pixelLabels: (0..<36).map { ($0 / 12) * 2 + ($0 % 6) / 3 }, channels: 2)
        let exact = try ShapleyValues(features: .mask(mask), absence: .featureMean)
            .featureAttribution(x, targets: [1], model: model).explanations[0]
        let kernel = try KernelShap(features: .mask(mask), absence: .featureMean)
            .featureAttribution(x, targets: [1], model: model).explanations[0]
        #expect(kernel.evaluations == (1 << 6) - 2 + 2)
        #expect(normalisedError(kernel.values.map(Float.init), exact.values) < 1e-4)
    }

    @Test func samplingApproachesTheExactValuesAsPermutationsGrow() throws {
        let model = try TestModels.pooledCNN(), x = try TestModels.inputs([1, 2, 6, 6])
        let mask = try Self.gridMask(cells: 3)
        let exact = try ShapleyValues(features: .mask(mask)).featureAttribution(x, targets: [2], model: model)
            .explanations[0].values
        func error(_ permutations: Int) throws -> Double {
            let estimate = try ShapleyValues(features: .mask(mask), estimator: .sampling(permutations: permutations))
                .featureAttribution(x, targets: [2], model: model).explanations[0]
            for (value, (truth, standardError)) in zip(estimate.values, zip(exact, estimate.standardErrors!)) {
                #expect(abs(value - truth) <= 5 * standardError + 1e-6)
            }
            return zip(estimate.values, exact).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }
        #expect(try error(400) < error(4))
    }

    @Test func limeRecoversTheContributionsOfALinearModel() throws {
        let model = try Self.linearModel(), x = try TestModels.inputs([1, 6])
        let weight = try model.parameters["logits.weight"]!.toArray(), input = try x.toArray()
        let lime = Lime(
            features: .elements, absence: .baseline(.zero), samples: 3000, selection: .none, output: .raw)
        let explanation = try lime.featureAttribution(x, targets: [0], model: model).explanations[0]
        let contributions = (0..<6).map { weight[$0] * input[$0] }
        #expect(normalisedError(explanation.values.map(Float.init), contributions) < 0.02)
        #expect(explanation.score! > 0.999)
        #expect(abs(explanation.localPrediction! - explanation.prediction) < 0.02 * abs(explanation.prediction))
    }

    @Test func limeIsReproducibleBySeed() throws {
        let model = try TestModels.pooledCNN(), x = try TestModels.inputs([1, 2, 6, 6])
        func explain(seed: UInt64) throws -> [Double] {
            try Lime(features: .mask(try Self.gridMask(cells: 3)), samples: 200, seed: seed)
                .featureAttribution(x, targets: [0], model: model).explanations[0].values
        }
        #expect(try explain(seed: 4) == explain(seed: 4))
        #expect(try explain(seed: 4) != explain(seed: 5))
    }

    @Test func removedWordsCloseUpTheText() throws {
        let backend = CPUBackend.shared
        let ids = try backend.upload([5, 7, 5, 9, 0, 0], shape: [1, 6])
        let mask = try FeatureMask(tokens: [5, 7, 5, 9, 0, 0], paddingIndex: 0)
        #expect(mask.elementFeatures == [0, 1, 0, 2, -1, -1])
        let input = try PerturbedInput(ids, mask: mask, absence: .removedWords(paddingIndex: 0))
        let copies = try input.copies(try backend.upload([1, 0, 1, 0, 1, 1, 0, 0, 0], shape: [3, 3]))
        #expect(try copies.toArray() == [5, 5, 9, 0, 0, 0, 7, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func aHiddenSuperpixelTakesItsMeanColour() throws {
        let backend = CPUBackend.shared
        let x = try backend.upload([1, 2, 3, 5, 10, 20, 30, 50], shape: [1, 2, 2, 2])
        let mask = try FeatureMask(pixelLabels: [0, 0, 1, 0], channels: 2)
        let input = try PerturbedInput(x, mask: mask, absence: .featureMean)
        let copies = try input.copies(try backend.upload([0, 0, 1, 0], shape: [2, 2]))
        let first: [Float] = [8 / 3, 8 / 3, 3, 8 / 3, 80 / 3, 80 / 3, 30, 80 / 3]
        #expect(normalisedError(try copies.toArray(), first + [1, 2, 3, 5, 10, 20, 30, 50]) < 1e-6)
    }

    @Test func featureMasksRefuseGapsAndMismatches() throws {
        #expect(throws: GlassboxError.self) { try FeatureMask(elementFeatures: [0, 2, 2]) }
        #expect(throws: GlassboxError.self) { try FeatureMask(elementFeatures: [-1, -1]) }
        #expect(throws: GlassboxError.self) { try FeatureMask(tokens: [0, 0], paddingIndex: 0) }
        let x = try TestModels.inputs([1, 6])
        #expect(throws: GlassboxError.self) {
            try PerturbedInput(x, mask: try .elements(5), absence: .baseline(.zero))
        }
        let tooMany = try FeatureMask.elements(21)
        #expect(throws: GlassboxError.self) {
            _ = try ShapleyValues(features: .mask(tooMany)).attribute(
                try TestModels.inputs([1, 21]),
                targets: [0],
                model: try Graph.initialized(
                    inputShape: [21], nodes: Graph.sequentialNodes([("logits", Dense(21, 2))]), seed: 1,
                    backend: CPUBackend.shared))
        }
    }

    @Test func riseIsTheSameInChunks() throws {
        let model = try TestModels.pooledCNN(), x = try TestModels.inputs([2, 2, 6, 6])
        let whole = try Rise(samples: 40, cells: 3).attribute(x, targets: [0, 1], model: model).values.toArray()
        let chunked = try Rise(samples: 40, cells: 3, batchSize: 7).attribute(x, targets: [0, 1], model: model)
        #expect(normalisedError(try chunked.values.toArray(), whole) < 1e-6)
        #expect(chunked.values.shape == [2, 1, 6, 6])
    }

    /// Named explanations share a column wherever a name repeats: I = (√1, √3, √3) for a, b, c, so
    /// the second explanation (covering b and c) is picked first.
    @Test func submodularPickKeysExplanationsByFeatureName() throws {
        let pick = try SubmodularPick(named: [[("a", 1), ("b", 2)], [("b", -1), ("c", 3)]], budget: 1)
        #expect(pick.picked == [1])
        #expect(
            normalisedError(pick.importances.map(Float.init), [1, Float(3).squareRoot(), Float(3).squareRoot()]) < 1e-6)
        #expect(abs(pick.coverage - 2 * Double(3).squareRoot()) < 1e-9)
    }
}
