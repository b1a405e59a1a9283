import Foundation

/// The folder of fixtures written by `scripts/make_surrogate_fixtures.py`.
let surrogateFixtures = fixtures.appendingPathComponent("surrogate")

/// Decodes one JSON file of `Fixtures/surrogate`; a missing or malformed file decodes as `empty`.
func surrogateFixture<T: Decodable>(_ name: String, empty: T) -> T {
    guard let data = try? Data(contentsOf: surrogateFixtures.appendingPathComponent(name)) else { return empty }
    return (try? JSONDecoder().decode(T.self, from: data)) ?? empty
}

/// `Fixtures/surrogate/lime.json`: lime's `explain_instance_with_data` on four data sets.
struct LimeFixture: Decodable {
    /// One data set: the samples, the scores, scikit-learn's distances, the kernel and the lasso path.
    struct Dataset: Decodable {
        let name: String
        let distance: String
        let scale: Double
        let kernelWidth: Double
        let rows: Int
        let features: Int
        let data: [Double]
        let labels: [Double]
        let distances: [Double]
        let weights: [Double]
        let larsAlphas: [Double]
        /// One row per step of the path.
        let larsCoefficients: [[Double]]
    }

    /// lime's explanation of one data set with one selection and `num_features`.
    struct Case: Decodable, CustomStringConvertible, Sendable {
        let dataset: String
        let selection: String
        let numFeatures: Int
        let intercept: Double
        let features: [Int]
        let coefficients: [Double]
        let score: Double
        let localPrediction: Double

        var description: String { "\(dataset) \(selection) K=\(numFeatures)" }
    }

    let datasets: [Dataset]
    let cases: [Case]

    static let loaded = surrogateFixture("lime.json", empty: LimeFixture(datasets: [], cases: []))

    func dataset(_ name: String) -> Dataset? { datasets.first { $0.name == name } }
}

/// `Fixtures/surrogate/shap.json`: shap's KernelExplainer, exact values and coalition plans.
struct ShapFixture: Decodable {
    /// KernelExplainer with every coalition enumerated, on `ShapleyTests.model`.
    struct Exact: Decodable, CustomStringConvertible, Sendable {
        let name: String
        let x: [Double]
        let background: [[Double]]
        let shapValues: [Double]
        let expectedValue: Double
        let prediction: Double
        let varying: [Int]
        /// The coalitions in shap's order, bit i = varying feature i.
        let masks: [Int]
        let weights: [Double]

        var description: String { name }
    }

    /// The deterministic part of shap's plan for M features and a budget.
    struct Plan: Decodable, CustomStringConvertible, Sendable {
        let features: Int
        let samples: Int?
        let budget: Int
        let fullSubsetSizes: Int
        let count: Int
        let fixedMasks: [Int]
        let fixedWeights: [Double]

        var description: String { "M=\(features) nsamples=\(samples.map(String.init) ?? "default")" }
    }

    let exact: [Exact]
    let plans: [Plan]

    static let loaded = surrogateFixture("shap.json", empty: ShapFixture(exact: [], plans: []))
}

/// `Fixtures/surrogate/submodular_pick.json`: lime's SubmodularPick on weight matrices.
struct SubmodularPickFixture: Decodable {
    struct Case: Decodable, CustomStringConvertible, Sendable {
        let name: String
        let weights: [[Double]]
        let budget: Int
        let picked: [Int]

        var description: String { name }
    }

    let cases: [Case]

    static let loaded = surrogateFixture("submodular_pick.json", empty: SubmodularPickFixture(cases: []))
}

/// Bit `i` of the result is set where row `row` of the row-major `masks` (`width` columns) is 1.
func coalitionNumber(_ masks: [Float], row: Int, width: Int) -> Int {
    (0..<width).reduce(0) { $0 | (masks[row * width + $1] == 1 ? 1 << $1 : 0) }
}
