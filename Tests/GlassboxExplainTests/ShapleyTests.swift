import Foundation
import GlassboxCore
import Testing

@testable import GlassboxExplain

/// Exact Shapley values by enumeration, Shapley value sampling and the coalition weights, checked
/// on analytic toy models and against shap's exact values (`Fixtures/surrogate/shap.json`).
struct ShapleyTests {
    /// The small nonlinear model of `scripts/make_surrogate_fixtures.py` (`shap_function`).
    static func model(_ z: [Double]) -> Double {
        sin(z[0]) * z[1] + z[2] * z[2] - 0.5 * z[0] * z[3] + tanh(z[4] + z[1]) + 0.3 * z[5] * z[2]
    }

    /// The value of each coalition mask: `f` on the input where the mask is 1 and a background row
    /// where it is 0, averaged over the background rows (shap's `ey`).
    static func coalitionValues(
        _ masks: [Float], width: Int, x: [Double], background: [[Double]], _ f: ([Double]) -> Double
    ) -> [Double] {
        (0..<masks.count / width).map { row in
            background.reduce(0) { sum, b in
                sum + f((0..<width).map { masks[row * width + $0] == 1 ? x[$0] : b[$0] })
            } / Double(background.count)
        }
    }

    /// Exact Shapley values of `f` at `x` against one baseline, by enumeration.
    static func exact(_ f: ([Double]) -> Double, x: [Double], baseline: [Double]) throws -> [Double] {
        let shapley = try ExactShapley(features: x.count)
        let masks = try shapley.masks(coalitions: 0..<shapley.count)
        return try shapley.values(
            coalitionValues: coalitionValues(masks, width: x.count, x: x, background: [baseline], f))
    }

    @Test func anAdditiveModelGetsEachTermsDifference() throws {
        let terms: [(Double) -> Double] = (0..<7).map { i in { z in sin(Double(i + 1) * z) + Double(i) * z * z } }
        let f: ([Double]) -> Double = { z in zip(terms, z).reduce(0) { $0 + $1.0($1.1) } }
        let x = [0.3, -1.2, 2.0, 0.7, -0.4, 1.5, -2.2], b = [0.1, 0.5, -0.3, 0, 1, -1, 0.25]
        let phi = try Self.exact(f, x: x, baseline: b)
        for i in 0..<7 { #expect(abs(phi[i] - (terms[i](x[i]) - terms[i](b[i]))) < 1e-12) }
    }

    /// For `z1 z2 z3`, feature 1 gets `(x1 − b1)(b2 b3 / 3 + (x2 b3 + b2 x3) / 6 + x2 x3 / 3)`.
    @Test func aProductModelGetsTheKnownValues() throws {
        let x = [2.0, -1.5, 0.5], b = [0.5, 1.0, -2.0]
        let phi = try Self.exact({ $0[0] * $0[1] * $0[2] }, x: x, baseline: b)
        for i in 0..<3 {
            let (j, k) = ((i + 1) % 3, (i + 2) % 3)
            let expected = (x[i] - b[i]) * (b[j] * b[k] / 3 + (x[j] * b[k] + b[j] * x[k]) / 6 + x[j] * x[k] / 3)
            #expect(abs(phi[i] - expected) < 1e-12, "feature \(i): \(phi[i]) vs \(expected)")
        }
        let fromZero = try Self.exact({ $0[0] * $0[1] * $0[2] }, x: x, baseline: [0, 0, 0])
        for value in fromZero { #expect(abs(value - x[0] * x[1] * x[2] / 3) < 1e-12) }
    }

    @Test(arguments: ShapFixture.loaded.exact)
    func enumerationEqualsShapsExactValues(_ reference: ShapFixture.Exact) throws {
        let shapley = try ExactShapley(features: reference.x.count)
        var values: [Double] = []
        for start in stride(from: 0, to: shapley.count, by: 10) {  // in chunks, as device batches
            let masks = try shapley.masks(coalitions: start..<min(start + 10, shapley.count))
            values += Self.coalitionValues(
                masks, width: reference.x.count, x: reference.x, background: reference.background, Self.model)
        }
        let phi = try shapley.values(coalitionValues: values)
        for (ours, theirs) in zip(phi, reference.shapValues) { #expect(abs(ours - theirs) < 1e-9) }
        #expect(abs(phi.reduce(0, +) - (reference.prediction - reference.expectedValue)) < 1e-9)
    }

    @Test func efficiencyHoldsForTwentyFeatures() throws {
        let m = 20
        let shapley = try ExactShapley(features: m)
        // f(z) = tanh(Σ c_i z_i) at x_i = sin(i), baseline 0: v(S) = tanh(Σ_{i ∈ S} c_i x_i).
        let terms = (0..<m).map { Double($0 % 3 + 1) * sin(Double($0)) }
        var values: [Double] = []
        values.reserveCapacity(shapley.count)
        for start in stride(from: 0, to: shapley.count, by: 1 << 16) {
            let masks = try shapley.masks(coalitions: start..<(start + (1 << 16)))
            for row in 0..<(1 << 16) {
                var sum = 0.0
                for i in 0..<m where masks[row * m + i] == 1 { sum += terms[i] }
                values.append(tanh(sum))
            }
        }
        let phi = try shapley.values(coalitionValues: values)
        #expect(abs(phi.reduce(0, +) - tanh(terms.reduce(0, +))) < 1e-9)
    }

    @Test func samplingIsWithinItsStandardErrorsAndEfficientPerPermutation() throws {
        let m = 8
        let f: ([Double]) -> Double = { z in z[0] * z[1] + sin(z[2] + z[3]) - z[4] * z[5] * z[6] + 0.5 * z[7] }
        let x = [1.2, -0.7, 0.4, 1.9, -1.1, 0.8, 1.5, 2.0], b = [Double](repeating: 0.1, count: m)
        let exact = try Self.exact(f, x: x, baseline: b)
        let sampling = try ShapleySampling(features: m, permutations: 400, stream: RandomStream(seed: 7))
        let masks = try sampling.masks(rows: 0..<sampling.count)
        let values = Self.coalitionValues(masks, width: m, x: x, background: [b], f)
        let estimate = try sampling.estimate(coalitionValues: values)
        for i in 0..<m {
            #expect(abs(estimate.values[i] - exact[i]) <= 4 * estimate.standardErrors[i] + 1e-12, "feature \(i)")
        }
        #expect(estimate.standardErrors[7] < 1e-12)  // an additive term contributes the same in every order
        #expect(estimate.standardErrors[0] > 0)
        #expect(abs(estimate.values.reduce(0, +) - (f(x) - f(b))) < 1e-12)
        for p in [0, 1, 399] {
            let single = try ShapleySampling(
                features: m, permutations: 1, stream: RandomStream(seed: 7).advanced(by: UInt64(p * (m - 1))))
            #expect(single.permutation(0) == sampling.permutation(p))
            let rows = p * (m + 1)..<(p + 1) * (m + 1)
            let one = try single.estimate(coalitionValues: Array(values[rows]))
            #expect(abs(one.values.reduce(0, +) - (f(x) - f(b))) < 1e-12)
            #expect(one.standardErrors.allSatisfy { $0.isNaN })
        }
    }

    @Test func samplingMasksArePrefixesOfPermutations() throws {
        let m = 6
        let sampling = try ShapleySampling(features: m, permutations: 5, stream: RandomStream(seed: 3))
        let masks = try sampling.masks(rows: 0..<sampling.count)
        #expect(try sampling.masks(rows: 9..<16) == Array(masks[9 * m..<16 * m]))
        var orders: Set<[Int]> = []
        for p in 0..<5 {
            let order = sampling.permutation(p)
            #expect(order.sorted() == Array(0..<m))
            orders.insert(order)
            for j in 0...m {
                let row = masks[(p * (m + 1) + j) * m..<(p * (m + 1) + j + 1) * m]
                #expect(Set(row.indices.filter { row[$0] == 1 }.map { $0 - row.startIndex }) == Set(order.prefix(j)))
            }
        }
        #expect(orders.count > 1)
    }

    @Test func theKernelAndShapleyWeightsAreConsistent() {
        for m in [2, 5, 12] {
            // The Shapley weights of the coalitions without one feature sum to 1.
            let total = (0..<m).reduce(0.0) {
                $0 + ShapleyWeights.binomial(m - 1, $1) * ShapleyWeights.shapley(coalitionSize: $1, features: m)
            }
            #expect(abs(total - 1) < 1e-12)
            for s in 1..<m {
                #expect(
                    abs(
                        ShapleyWeights.kernel(coalitionSize: s, features: m) * ShapleyWeights.binomial(m, s)
                            - ShapleyWeights.sizeKernel(coalitionSize: s, features: m)) < 1e-12)
            }
            #expect(ShapleyWeights.kernel(coalitionSize: 0, features: m) == .infinity)
            #expect(ShapleyWeights.kernel(coalitionSize: m, features: m) == .infinity)
        }
        #expect(ShapleyWeights.kernel(coalitionSize: 1, features: 4) == 3.0 / (4 * 1 * 3))
        #expect(ShapleyWeights.shapley(coalitionSize: 1, features: 3) == 1.0 / 6)
    }

    @Test func refusesTooManyFeaturesAndMismatchedValues() throws {
        #expect(throws: GlassboxError.self) { try ExactShapley(features: 21) }
        #expect(throws: GlassboxError.self) { try ExactShapley(features: 0) }
        let shapley = try ExactShapley(features: 3)
        #expect(throws: GlassboxError.self) { try shapley.masks(coalitions: 4..<9) }
        #expect(throws: GlassboxError.self) { try shapley.values(coalitionValues: [1, 2, 3]) }
        #expect(throws: GlassboxError.self) {
            try ShapleySampling(features: 3, permutations: 0, stream: RandomStream(seed: 1))
        }
        let sampling = try ShapleySampling(features: 3, permutations: 2, stream: RandomStream(seed: 1))
        #expect(throws: GlassboxError.self) { try sampling.estimate(coalitionValues: [1, 2, 3]) }
        #expect(throws: GlassboxError.self) { try sampling.masks(rows: 0..<9) }
        do {
            _ = try ExactShapley(features: 21)
        } catch {
            #expect(!"\(error)".contains("\n"))
            #expect("\(error)".contains("21"))
        }
    }
}
