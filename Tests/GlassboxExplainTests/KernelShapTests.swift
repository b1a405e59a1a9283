import Foundation
import GlassboxCore
import Testing

@testable import GlassboxExplain

/// KernelSHAP's coalition plan and constrained solve against shap 0.51 (`Fixtures/surrogate/shap.json`)
/// and exact enumeration.
struct KernelShapTests {
    @Test(arguments: ShapFixture.loaded.plans)
    func theDeterministicPartOfThePlanIsShaps(_ reference: ShapFixture.Plan) throws {
        let plan = try KernelShapCoalitions(
            features: reference.features, samples: reference.samples, stream: RandomStream(seed: 11))
        #expect(plan.budget == reference.budget)
        #expect(plan.completeSizes == reference.fullSubsetSizes)
        #expect(plan.count == reference.count)
        let fixed = reference.fixedMasks.count
        try #require(plan.count >= fixed)
        #expect(
            (0..<fixed).map { coalitionNumber(plan.masks, row: $0, width: reference.features) } == reference.fixedMasks)
        for (ours, theirs) in zip(plan.weights, reference.fixedWeights) {
            #expect(abs(ours - theirs) <= 1e-12 * theirs)
        }
        #expect(abs(plan.weights.reduce(0, +) - 1) < 1e-12)
        let distinct = Set((0..<plan.count).map { coalitionNumber(plan.masks, row: $0, width: reference.features) })
        #expect(distinct.count == plan.count)
        #expect(!distinct.contains(0) && !distinct.contains((1 << reference.features) - 1))
    }

    @Test(arguments: ShapFixture.loaded.exact)
    func aFullBudgetReproducesShapsExactValues(_ reference: ShapFixture.Exact) throws {
        let width = reference.x.count
        let plan = try KernelShapCoalitions(
            features: width, varyingFeatures: reference.varying, samples: 1000, stream: RandomStream(seed: 1))
        #expect(plan.budget == (1 << reference.varying.count) - 2)
        #expect((0..<plan.count).map { coalitionNumber(plan.masks, row: $0, width: width) } == reference.masks)
        for (ours, theirs) in zip(plan.weights, reference.weights) { #expect(abs(ours - theirs) <= 1e-12 * theirs) }
        let values = ShapleyTests.coalitionValues(
            plan.masks, width: width, x: reference.x, background: reference.background, ShapleyTests.model)
        let phi = try plan.shapleyValues(
            values: values, prediction: reference.prediction, nullValue: reference.expectedValue)
        for (ours, theirs) in zip(phi, reference.shapValues) {
            #expect(abs(ours - theirs) < 1e-9, "\(ours) vs \(theirs)")
        }
        #expect(phi[5] == 0)
        #expect(abs(phi.reduce(0, +) - (reference.prediction - reference.expectedValue)) < 1e-12)
    }

    /// A ten-feature model with interactions: the exact values by enumeration, KernelSHAP's error
    /// (root mean square over features, mean over five seeds) at 100 and at 600 of the 1022
    /// coalitions, and equality with every coalition.
    @Test func approachesTheExactValuesAsTheBudgetGrows() throws {
        let m = 10
        let x = (0..<m).map { 1 + sin(Double(3 * $0)) }, b = [Double](repeating: 0, count: m)
        let f: ([Double]) -> Double = { z in
            z[0] * z[1] - z[2] * z[3] * z[4] + sin(z[5] + z[6]) + z[7] * z[7] + tanh(z[8] - z[9]) + 0.5 * z[9]
        }
        let exact = try ShapleyTests.exact(f, x: x, baseline: b)
        func error(samples: Int, seed: UInt64) throws -> Double {
            let plan = try KernelShapCoalitions(features: m, samples: samples, stream: RandomStream(seed: seed))
            let values = ShapleyTests.coalitionValues(plan.masks, width: m, x: x, background: [b], f)
            let phi = try plan.shapleyValues(values: values, prediction: f(x), nullValue: f(b))
            #expect(abs(phi.reduce(0, +) - (f(x) - f(b))) < 1e-9)
            return (zip(phi, exact).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(m)).squareRoot()
        }
        let small = try (1...5).reduce(0) { $0 + (try error(samples: 100, seed: $1)) } / 5
        let large = try (1...5).reduce(0) { $0 + (try error(samples: 600, seed: $1)) } / 5
        #expect(large < small / 2, "error \(large) at 600 coalitions, \(small) at 100")
        #expect(try error(samples: 1022, seed: 1) < 1e-9)
    }

    @Test func fewerThanTwoVaryingFeaturesNeedNoCoalitions() throws {
        let none = try KernelShapCoalitions(features: 3, varyingFeatures: [], stream: RandomStream(seed: 1))
        #expect(none.count == 0 && none.budget == 0)
        #expect(try none.shapleyValues(values: [], prediction: 2, nullValue: 1) == [0, 0, 0])
        let one = try KernelShapCoalitions(features: 3, varyingFeatures: [1], stream: RandomStream(seed: 1))
        #expect(one.count == 0)
        #expect(try one.shapleyValues(values: [], prediction: 2, nullValue: 0.5) == [0, 1.5, 0])
    }

    @Test func theSameSeedGivesTheSameCoalitions() throws {
        let a = try KernelShapCoalitions(features: 14, samples: 300, stream: RandomStream(seed: 5))
        let b = try KernelShapCoalitions(features: 14, samples: 300, stream: RandomStream(seed: 5))
        let c = try KernelShapCoalitions(features: 14, samples: 300, stream: RandomStream(seed: 6))
        #expect(a == b)
        #expect(a.masks != c.masks)
    }

    @Test func refusesNoSamplesBadFeaturesAndMismatchedValues() throws {
        let stream = RandomStream(seed: 1)
        #expect(throws: GlassboxError.self) { try KernelShapCoalitions(features: 4, samples: 0, stream: stream) }
        #expect(throws: GlassboxError.self) { try KernelShapCoalitions(features: 0, stream: stream) }
        #expect(throws: GlassboxError.self) {
            try KernelShapCoalitions(features: 4, varyingFeatures: [2, 1], stream: stream)
        }
        #expect(throws: GlassboxError.self) {
            try KernelShapCoalitions(features: 4, varyingFeatures: [1, 4], stream: stream)
        }
        let plan = try KernelShapCoalitions(features: 4, stream: stream)
        #expect(throws: GlassboxError.self) { try plan.shapleyValues(values: [1, 2], prediction: 1, nullValue: 0) }
        do {
            _ = try KernelShapCoalitions(features: 4, samples: 0, stream: stream)
        } catch {
            #expect(!"\(error)".contains("\n"))
            #expect("\(error)".contains("sample"))
        }
    }
}
