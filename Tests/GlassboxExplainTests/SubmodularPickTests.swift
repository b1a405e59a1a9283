import GlassboxCore
import Testing

@testable import GlassboxExplain

/// SP-LIME's greedy pick against lime 0.2.0.1's `SubmodularPick` (`Fixtures/surrogate/submodular_pick.json`).
struct SubmodularPickTests {
    @Test(arguments: SubmodularPickFixture.loaded.cases)
    func picksWhatLimePicks(_ reference: SubmodularPickFixture.Case) throws {
        let features = try #require(reference.weights.first).count
        let pick = try SubmodularPick(
            weights: Array(reference.weights.joined()), instances: reference.weights.count, features: features,
            budget: reference.budget)
        #expect(pick.picked == reference.picked)
    }

    /// Three instances covering features {0, 1}, {1} and {2} with importances √2, √3 and √5: the
    /// first pick is the widest coverage (instance 0), the second adds feature 2.
    @Test func coverageAndImportancesFollowTheDefinition() throws {
        let weights: [Double] = [1, 1, 0, 0, 2, 0, 0, 0, 5]  // 3 instances × 3 features
        let pick = try SubmodularPick(weights: weights, instances: 3, features: 3, budget: 2)
        #expect(pick.importances == [1, 3, 5].map { Double($0).squareRoot() })
        #expect(pick.picked == [0, 2])
        #expect(abs(pick.coverage - (1 + 3.0.squareRoot() + 5.0.squareRoot())) < 1e-12)
    }

    @Test func refusesMismatchedWeightsAndAnEmptyBudget() {
        #expect(throws: GlassboxError.self) {
            try SubmodularPick(weights: [1, 2, 3], instances: 2, features: 2, budget: 1)
        }
        #expect(throws: GlassboxError.self) {
            try SubmodularPick(weights: [1, 2, 3, 4], instances: 2, features: 2, budget: 0)
        }
    }
}
