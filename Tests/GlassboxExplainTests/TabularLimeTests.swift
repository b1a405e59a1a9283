import Foundation
import GlassboxCore
import GlassboxIO
import Testing

@testable import GlassboxExplain

/// `Fixtures/lime-tabular/manifest.json`, written by `scripts/make_perturbation_fixtures.py` from
/// lime 0.2.0.1's `LimeTabularExplainer` on the breast-cancer training split.
private struct LimeTabularFixture: Decodable {
    struct Discretizer: Decodable {
        let quartiles: [[Double]]
        let names: [[String]]
        let means: [[Double]]
        let stds: [[Double]]
        let mins: [[Double]]
        let maxs: [[Double]]
        let featureValues: [[Int]]
        let featureFrequencies: [[Double]]
    }
    struct Scaler: Decodable {
        let mean: [Double]
        let scale: [Double]
    }
    struct GivenBinary: Decodable {
        let binary: [[Double]]
        let scaled: [[Double]]
        let distances: [Double]
    }
    struct Row: Decodable {
        let instance: [Double]
        let discretized: [Int]
        let binNames: [String]
    }
    struct Explanations: Decodable {
        let rows: [Row]
    }

    let trainShape: [Int]
    let featureNames: [String]
    let kernelWidth: Double
    let discretizer: Discretizer
    let scaler: Scaler
    let givenBinary: GivenBinary
    let explanations: Explanations

    static let folder = fixtures.appendingPathComponent("lime-tabular")

    static func load() throws -> LimeTabularFixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    /// The training split (float32, rows × features) and lime's discretizer of it, rebuilt in Swift.
    func rebuilt() throws -> (training: [Float], QuartileDiscretizer) {
        let training = try NumpyArray.read(from: Self.folder.appendingPathComponent("train.npy"))
        #expect(training.shape.dimensions == trainShape)
        return (
            training.values,
            try QuartileDiscretizer(
                training: training.values, rows: trainShape[0], columns: trainShape[1], names: featureNames)
        )
    }
}

/// `|a − b| ≤ 1e-6 · max(1, |b|)` for every pair, and equal lengths.
private func agree(_ actual: [Double], _ expected: [Double]) -> Bool {
    actual.count == expected.count
        && zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
}

@Suite("LIME's tabular discretizer and sampler against lime 0.2.0.1")
struct TabularLimeTests {
    @Test func quartilesAndBinStatisticsEqualLime() throws {
        let fixture = try LimeTabularFixture.load()
        let (_, discretizer) = try fixture.rebuilt()
        let lime = fixture.discretizer
        #expect(discretizer.features == 10)
        for feature in 0..<discretizer.features {
            let bins = discretizer.bins[feature]
            let name = fixture.featureNames[feature]
            #expect(agree(discretizer.quartiles[feature], lime.quartiles[feature]), "\(name) quartiles")
            #expect(agree(bins.map(\.mean), lime.means[feature]), "\(name) means")
            #expect(agree(bins.map(\.standardDeviation), lime.stds[feature]), "\(name) standard deviations")
            #expect(agree(bins.map(\.minimum), lime.mins[feature]), "\(name) minima")
            #expect(agree(bins.map(\.maximum), lime.maxs[feature]), "\(name) maxima")
            // lime lists the frequencies of the bins that hold training values.
            var frequencies = [Double](repeating: 0, count: bins.count)
            for (bin, frequency) in zip(lime.featureValues[feature], lime.featureFrequencies[feature]) {
                frequencies[bin] = frequency
            }
            #expect(agree(bins.map(\.frequency), frequencies), "\(name) frequencies")
        }
    }

    @Test func binNamesEqualLimesStrings() throws {
        let fixture = try LimeTabularFixture.load()
        let (_, discretizer) = try fixture.rebuilt()
        #expect(discretizer.bins.map { $0.map(\.name) } == fixture.discretizer.names)
        #expect(discretizer.bins[0][0].name == "mean radius <= 11.64")
        for row in fixture.explanations.rows {
            let bins = try discretizer.discretize(row.instance.map(Float.init))
            #expect(bins == row.discretized)
            #expect(bins.enumerated().map { discretizer.bins[$0][$1].name } == row.binNames)
        }
    }

    /// lime's scaler is the identity once every column is discretized, so its Euclidean distances
    /// are those of the binary rows from row 0.
    @Test func distancesEqualLimesForGivenBinaryData() throws {
        let fixture = try LimeTabularFixture.load()
        let given = fixture.givenBinary
        #expect(fixture.scaler.mean.allSatisfy { $0 == 0 } && fixture.scaler.scale.allSatisfy { $0 == 1 })
        #expect(given.scaled == given.binary)
        let kernel = LimeKernel.tabular(features: 10)
        #expect(abs(kernel.width - fixture.kernelWidth) < 1e-15)
        let distances = try kernel.distances(data: Array(given.binary.joined()), features: 10)
        #expect(agree(distances, given.distances))
    }

    /// 20,000 samples of the first instance: each feature's bins drawn within 4 standard errors of the
    /// training frequencies, every value inside its bin, the binary row marking the instance's bins,
    /// and the values of each bin averaging the analytic mean of the truncated normal.
    @Test func samplesFollowTheTrainingBinsAndStayInsideThem() throws {
        let fixture = try LimeTabularFixture.load()
        let (_, discretizer) = try fixture.rebuilt()
        let instance = fixture.explanations.rows[0].instance.map(Float.init)
        let count = 20_000, features = discretizer.features
        let sample = try discretizer.sample(instance: instance, count: count, stream: RandomStream(seed: 11))
        #expect(sample.count == count && sample.features == features)
        #expect(Array(sample.values[0..<features]) == instance)
        #expect(sample.binary[0..<features].allSatisfy { $0 == 1 })
        let instanceBins = try discretizer.discretize(instance)
        for feature in 0..<features {
            let bins = discretizer.bins[feature]
            var members = [[Double]](repeating: [], count: bins.count)
            for row in 1..<count {
                let value = sample.values[row * features + feature]
                let bin = discretizer.bin(of: value, feature: feature)
                members[bin].append(Double(value))
                #expect(Double(value) >= bins[bin].minimum && Double(value) <= bins[bin].maximum)
                #expect(sample.binary[row * features + feature] == (bin == instanceBins[feature] ? 1 : 0))
            }
            for (k, bin) in bins.enumerated() {
                let n = Double(count - 1), p = bin.frequency
                let share = Double(members[k].count) / n
                #expect(abs(share - p) <= 4 * (p * (1 - p) / n).squareRoot(), "\(bin.name): \(share) vs \(p)")
                let mean = members[k].reduce(0, +) / Double(members[k].count)
                let deviation = (members[k].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(members[k].count))
                    .squareRoot()
                let expected = truncatedNormalMean(bin)
                #expect(
                    abs(mean - expected) <= 4 * deviation / Double(members[k].count).squareRoot(),
                    "\(bin.name): mean \(mean) vs \(expected)")
            }
        }
    }

    @Test func distancesAreThoseOfTheBinaryRows() throws {
        let (_, discretizer) = try LimeTabularFixture.load().rebuilt()
        let sample = try discretizer.sample(
            instance: [14, 20, 90, 600, 0.1, 0.1, 0.05, 0.03, 0.18, 0.06], count: 300, stream: RandomStream(seed: 3))
        for row in 0..<sample.count {
            let zeros = sample.binary[row * 10..<(row + 1) * 10].filter { $0 == 0 }.count
            #expect(sample.distances[row] == Double(zeros).squareRoot())
        }
        #expect(sample.distances.contains { $0 > 0 })
    }

    @Test func theSameStreamGivesTheSameSamples() throws {
        let (training, discretizer) = try LimeTabularFixture.load().rebuilt()
        let instance = Array(training[0..<10])
        let first = try discretizer.sample(instance: instance, count: 500, stream: RandomStream(seed: 5, stream: 2))
        let again = try discretizer.sample(instance: instance, count: 500, stream: RandomStream(seed: 5, stream: 2))
        let other = try discretizer.sample(instance: instance, count: 500, stream: RandomStream(seed: 6, stream: 2))
        #expect(first == again)
        #expect(first.values != other.values)
        // A shorter run is the beginning of a longer one.
        let shorter = try discretizer.sample(instance: instance, count: 40, stream: RandomStream(seed: 5, stream: 2))
        #expect(shorter.values == Array(first.values[0..<400]))
    }

    @Test func inverseNormalDistributionFunctionMatchesKnownQuantiles() {
        let known: [(p: Double, x: Double)] = [
            (0.5, 0), (0.975, 1.959963984540054), (0.01, -2.3263478740408408), (0.9999, 3.719016485455709),
            (1e-10, -6.361340902404056), (0.3, -0.5244005127080407),
        ]
        for (p, x) in known {
            #expect(abs(TruncatedNormal.inverseCDF(p) - x) <= 1e-12 * max(1, abs(x)), "Φ⁻¹(\(p))")
        }
        #expect(TruncatedNormal.inverseCDF(0) == -.infinity && TruncatedNormal.inverseCDF(1) == .infinity)
    }

    @Test func truncatedNormalQuantilesStayInTheirIntervalAndIncrease() {
        for (lower, upper) in [(-1.0, 2.0), (3.0, 9.0), (-12.0, -7.5), (0.4, 0.4000001)] {
            let values = stride(from: 0.0005, to: 1, by: 0.001).map {
                TruncatedNormal.quantile($0, mean: 0.5, standardDeviation: 0.7, lower: lower, upper: upper)
            }
            #expect(values.allSatisfy { $0 >= lower && $0 <= upper }, "\(lower)...\(upper)")
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "\(lower)...\(upper)")
        }
        #expect(TruncatedNormal.quantile(0.3, mean: 1, standardDeviation: 1e-11, lower: 2, upper: 2) == 2)
    }

    @Test func refusesAConstantColumnAndMismatchedSizes() throws {
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch { return "\(error)" }
        }
        let table: [Float] = [1, 5, 2, 5, 3, 5, 4, 5]
        #expect(
            message { _ = try QuartileDiscretizer(training: table, rows: 4, columns: 2, names: ["a", "b"]) }
                .contains("column 'b' is constant"))
        #expect(
            message { _ = try QuartileDiscretizer(training: table, rows: 3, columns: 2, names: ["a", "b"]) }
                .contains("8 values, not 3 rows × 2 columns"))
        #expect(
            message { _ = try QuartileDiscretizer(training: table, rows: 4, columns: 2, names: ["a"]) }
                .contains("1 feature names for 2 columns"))
        #expect(
            message { _ = try QuartileDiscretizer(training: [1, .nan], rows: 2, columns: 1, names: ["a"]) }
                .contains("column 'a' is nan"))
        let discretizer = try QuartileDiscretizer(
            training: [1, 8, 2, 7, 3, 6, 4, 5], rows: 4, columns: 2, names: ["a", "b"])
        let stream = RandomStream(seed: 1)
        #expect(
            message { _ = try discretizer.sample(instance: [1, 2, 3], count: 10, stream: stream) }
                .contains("the row has 3 values for 2 features"))
        #expect(
            message { _ = try discretizer.sample(instance: [1, 2], count: 0, stream: stream) }.contains("count is 0"))
        #expect(
            message { _ = try discretizer.sample(instance: [1, .infinity], count: 5, stream: stream) }
                .contains("'b' is inf"))
    }
}

/// The mean of a bin's normal truncated to the bin: `μ + σ (φ(a) − φ(b)) / (Φ(b) − Φ(a))`.
private func truncatedNormalMean(_ bin: QuartileBin) -> Double {
    let a = (bin.minimum - bin.mean) / bin.standardDeviation, b = (bin.maximum - bin.mean) / bin.standardDeviation
    func density(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
    func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
    return bin.mean + bin.standardDeviation * (density(a) - density(b)) / (cdf(b) - cdf(a))
}
