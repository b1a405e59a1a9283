import GlassboxCore
import Testing

@testable import GlassboxExplain

/// LIME's local linear model, kernel and lasso path against lime 0.2.0.1 and scikit-learn 1.9.1
/// (`Fixtures/surrogate/lime.json`).
struct LocalLinearModelTests {
    static let selections: [String: FeatureSelection] = [
        "none": .none, "forward_selection": .forward, "highest_weights": .highestWeights,
        "lasso_path": .lassoPath, "auto": .auto,
    ]

    @Test func theFixtureCoversEverySelectionOnFourDataSets() {
        #expect(LimeFixture.loaded.datasets.count == 4)
        #expect(Set(LimeFixture.loaded.cases.map(\.selection)) == Set(Self.selections.keys))
        #expect(LimeFixture.loaded.cases.count == 60)
    }

    @Test(arguments: LimeFixture.loaded.cases)
    func reproducesLimesExplanation(_ reference: LimeFixture.Case) throws {
        let dataset = try #require(LimeFixture.loaded.dataset(reference.dataset))
        let model = try LocalLinearModel.fit(
            data: dataset.data, features: dataset.features, labels: dataset.labels, weights: dataset.weights,
            selection: try #require(Self.selections[reference.selection]), maximumFeatures: reference.numFeatures)
        #expect(model.features == reference.features)
        #expect(
            abs(model.intercept - reference.intercept) < 1e-6, "intercept \(model.intercept) vs \(reference.intercept)")
        #expect(model.coefficients.count == reference.coefficients.count)
        for (ours, theirs) in zip(model.coefficients, reference.coefficients) {
            #expect(abs(ours - theirs) < 1e-6, "coefficient \(ours) vs \(theirs)")
        }
        #expect(abs(model.score - reference.score) < 1e-6, "score \(model.score) vs \(reference.score)")
        #expect(abs(model.localPrediction - reference.localPrediction) < 1e-6)
    }

    @Test(arguments: LimeFixture.loaded.datasets.map(\.name))
    func kernelMatchesScikitLearnsDistancesAndLimesWeights(_ name: String) throws {
        let dataset = try #require(LimeFixture.loaded.dataset(name))
        let kernel: LimeKernel =
            switch name {
            case "image": .image
            case "text": .text
            default: .tabular(features: dataset.features)
            }
        #expect(kernel.width == dataset.kernelWidth)
        let distances = try kernel.distances(data: dataset.data, features: dataset.features)
        for (ours, theirs) in zip(distances, dataset.distances) { #expect(abs(ours - theirs) < 1e-7 * max(1, theirs)) }
        for (ours, theirs) in zip(kernel.weights(distances: distances), dataset.weights) {
            #expect(abs(ours - theirs) < 1e-12)
        }
    }

    @Test(arguments: LimeFixture.loaded.datasets.map(\.name))
    func lassoPathFollowsScikitLearnsLarsPath(_ name: String) throws {
        let dataset = try #require(LimeFixture.loaded.dataset(name))
        let design = WeightedDesign(
            data: dataset.data, columns: dataset.features, labels: dataset.labels, weights: dataset.weights)
        let path = LassoPath(design)
        try #require(path.coefficients.count == dataset.larsCoefficients.count)
        let scale = dataset.larsCoefficients.joined().map(abs).max() ?? 1
        for (step, (ours, theirs)) in zip(path.coefficients, dataset.larsCoefficients).enumerated() {
            for (a, b) in zip(ours, theirs) { #expect(abs(a - b) <= 1e-9 * scale, "step \(step): \(a) vs \(b)") }
        }
        for (ours, theirs) in zip(path.alphas, dataset.larsAlphas) {
            #expect(abs(ours - theirs) <= 1e-12 * max(theirs, 1e-3))
        }
    }

    @Test func theCorrelatedPathDropsVariables() throws {
        let dataset = try #require(LimeFixture.loaded.dataset("correlated"))
        let counts = dataset.larsCoefficients.map { $0.filter { $0 != 0 }.count }
        #expect(zip(counts, counts.dropFirst()).contains { $0 > $1 })
    }

    /// Two identical columns make forward selection's unpenalised fit singular: the minimum-norm
    /// solution splits the weight equally (scikit-learn's SVD fallback does the same).
    @Test func aDuplicatedColumnSharesItsWeightEqually() throws {
        let rows = 40
        var data: [Double] = [], labels: [Double] = []
        for i in 0..<rows {
            let a = Double((i * 7) % 5), b = Double((i * 3) % 4)
            data += [a, a, b]
            labels.append(2 * a - b + 0.5)
        }
        let weights = (0..<rows).map { 1 / Double($0 + 1) }
        let design = WeightedDesign(data: data, columns: 3, labels: labels, weights: weights)
        let beta = design.ridge([0, 1, 2], alpha: 0)
        let expected: [Double] = [1, 1, -1]
        for (ours, theirs) in zip(beta, expected) { #expect(abs(ours - theirs) < 1e-9, "\(beta)") }
        #expect(abs(design.score([0, 1, 2], beta) - 1) < 1e-12)
    }

    /// With exactly linear scores and no penalty, the fit recovers the line: R² 1, and the local
    /// prediction equals the score of the first row.
    @Test func anExactLineIsRecovered() throws {
        let data: [Double] = [1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1]
        let labels: [Double] = stride(from: 0, to: data.count, by: 2).map { (i: Int) -> Double in
            3 * data[i] - 2 * data[i + 1] + 0.25
        }
        let model = try LocalLinearModel.fit(
            data: data, features: 2, labels: labels, weights: [1, 0.5, 0.25, 2, 1, 1], selection: .none,
            maximumFeatures: 2, alpha: 0)
        #expect(model.features == [0, 1])
        #expect(abs(model.coefficients[0] - 3) < 1e-12)
        #expect(abs(model.coefficients[1] + 2) < 1e-12)
        #expect(abs(model.intercept - 0.25) < 1e-12)
        #expect(abs(model.score - 1) < 1e-12)
        #expect(abs(model.localPrediction - labels[0]) < 1e-12)
    }

    @Test func refusesMismatchedAndInvalidInputs() {
        let data: [Double] = [1, 1, 0, 1, 1, 0]
        func fit(
            data: [Double] = data, labels: [Double] = [1, 0, 2], weights: [Double] = [1, 1, 1], maximum: Int = 1,
            alpha: Double = 1
        ) throws {
            _ = try LocalLinearModel.fit(
                data: data, features: 2, labels: labels, weights: weights, selection: .auto, maximumFeatures: maximum,
                alpha: alpha)
        }
        #expect(throws: GlassboxError.self) { try fit(labels: [1, 0]) }
        #expect(throws: GlassboxError.self) { try fit(weights: [1, 1]) }
        #expect(throws: GlassboxError.self) { try fit(data: [1, 1, 0]) }
        #expect(throws: GlassboxError.self) { try fit(weights: [0, 0, 0]) }
        #expect(throws: GlassboxError.self) { try fit(weights: [1, -1, 1]) }
        #expect(throws: GlassboxError.self) { try fit(labels: [1, .nan, 0]) }
        #expect(throws: GlassboxError.self) { try fit(maximum: 0) }
        #expect(throws: GlassboxError.self) { try fit(alpha: -1) }
        #expect(throws: GlassboxError.self) { try LimeKernel.image.distances(data: [1, 1, 0], features: 2) }
        do {
            try fit(labels: [1, 0])
        } catch {
            #expect(!"\(error)".contains("\n"))
            #expect("\(error)".contains("labels") || "\(error)".contains("data"))
        }
    }
}
