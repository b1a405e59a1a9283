import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

@Suite("Integrated Gradients")
struct IntegratedGradientsTests {
    @Test func gaussLegendreMatchesTheClosedFormAndIntegratesPolynomialsExactly() throws {
        let (nodes, weights) = IntegrationRule.legendre(3)
        #expect(
            abs(nodes[0] + (3.0 / 5).squareRoot()) < 1e-14 && abs(nodes[1]) < 1e-14
                && abs(nodes[2] - (3.0 / 5).squareRoot()) < 1e-14)
        #expect(abs(weights[0] - 5.0 / 9) < 1e-14 && abs(weights[1] - 8.0 / 9) < 1e-14)
        for steps in [1, 2, 5, 16, 50, 64] {
            let (alphas, stepWeights) = try IntegrationRule.gaussLegendre.points(steps: steps)
            #expect(alphas == alphas.sorted() && alphas.allSatisfy { (0...1).contains($0) })
            // ∫₀¹ α^(2n−1) dα = 1/(2n): exact for n-point Gauss–Legendre.
            let degree = 2 * steps - 1
            let integral = zip(alphas, stepWeights).reduce(0) { $0 + $1.1 * pow($1.0, Double(degree)) }
            #expect(abs(integral - 1 / Double(degree + 1)) < 1e-12, "\(steps) points")
        }
    }

    @Test(arguments: IntegrationRule.allCases)
    func weightsSumToOneAndPointsFollowCaptum(_ rule: IntegrationRule) throws {
        let (alphas, weights) = try rule.points(steps: 4)
        #expect(abs(weights.reduce(0, +) - (rule == .riemannTrapezoid ? 0.75 : 1)) < 1e-12)
        let expected: [Double]? =
            switch rule {
            case .riemannLeft: [0, 0.25, 0.5, 0.75]
            case .riemannRight: [0.25, 0.5, 0.75, 1]
            case .riemannMiddle: [0.125, 0.375, 0.625, 0.875]
            case .riemannTrapezoid: [0, 1.0 / 3, 2.0 / 3, 1]
            case .gaussLegendre: nil
            }
        if let expected { #expect(zip(alphas, expected).allSatisfy { abs($0 - $1) < 1e-15 }) }
    }

    @Test func aLinearModelIsIntegratedExactly() throws {
        let nodes = Graph.sequentialNodes([("logits", Dense(5, 2))])
        let model = try Graph.initialized(inputShape: [5], nodes: nodes, seed: 2, backend: CPUBackend.shared)
        let x = try TestModels.inputs([2, 5])
        let result = try IntegratedGradients(steps: 3, integration: .riemannLeft).attribute(
            x, targets: [1, 0], model: model)
        let weight = try model.parameters["logits.weight"]!.toArray(), input = try x.toArray(),
            values = try result.values.toArray()
        for sample in 0..<2 {
            let target = [1, 0][sample]
            for feature in 0..<5 {
                #expect(
                    abs(values[sample * 5 + feature] - input[sample * 5 + feature] * weight[target * 5 + feature])
                        < 1e-6)
            }
        }
        #expect(result.convergenceDeltas!.allSatisfy { abs($0) < 1e-5 })
    }

    @Test(arguments: [IntegrationRule.riemannTrapezoid, .riemannMiddle, .gaussLegendre])
    func completenessGapShrinksAsStepsGrow(_ rule: IntegrationRule) throws {
        let model = try TestModels.smoothMLP()
        let x = try CPUBackend.shared.affine(try TestModels.inputs([1, 5], seed: 8), scale: 3, shift: 0)
        let gaps = try [2, 8, 32, 128].map { steps in
            abs(
                try IntegratedGradients(steps: steps, integration: rule).attribute(x, targets: [0], model: model)
                    .convergenceDeltas![0])
        }
        // Captum's trapezoid weights sum to (n − 1)/n, so its gap shrinks only like 1/n.
        #expect(gaps[3] < gaps[0] / 10 && (rule == .riemannTrapezoid || gaps[3] < 1e-4), "\(rule): gaps \(gaps)")
        for (coarse, fine) in zip(gaps, gaps.dropFirst()) {
            #expect(fine <= coarse * 1.01 || fine < 1e-5, "\(rule): gaps \(gaps)")
        }
    }

    @Test func chunkingDoesNotChangeTheResult() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([2, 2, 6, 6])
        let whole = try IntegratedGradients(steps: 10).attribute(x, targets: [0, 2], model: model)
        let chunked = try IntegratedGradients(steps: 10, batchSize: 3).attribute(x, targets: [0, 2], model: model)
        #expect(normalisedError(try chunked.values.toArray(), try whole.values.toArray()) < 1e-5)
    }

    @Test func baselinesHaveTheInputsShapeAndMeaning() throws {
        let backend = CPUBackend.shared
        let x = try TestModels.inputs([1, 2, 6, 6])
        let constant = try backend.filled([1, 2, 6, 6], value: 0.25)
        #expect(
            try Baseline.blurred(sigma: 1e-3).make(for: constant, index: 0).toArray().allSatisfy {
                abs($0 - 0.25) < 1e-6
            })
        // Blurring a constant plane keeps it constant (the borders are renormalised).
        #expect(
            try Baseline.blurred(sigma: 2).make(for: constant, index: 0).toArray().allSatisfy { abs($0 - 0.25) < 1e-6 })
        let blurred = try Baseline.blurred(sigma: 1).make(for: x, index: 0).toArray()
        let input = try x.toArray()
        #expect(blurred.map(abs).reduce(0, +) < input.map(abs).reduce(0, +))
        let noise = try Baseline.uniformNoise(seed: 4).make(for: x, index: 0).toArray()
        #expect(noise.allSatisfy { (input.min()!...input.max()!).contains($0) })
        #expect(try Baseline.uniformNoise(seed: 4).make(for: x, index: 1).toArray() != noise)
        #expect(throws: GlassboxError.self) {
            _ = try Baseline.tensor(try backend.filled([1, 3], value: 0)).make(for: x, index: 0)
        }
    }
}
