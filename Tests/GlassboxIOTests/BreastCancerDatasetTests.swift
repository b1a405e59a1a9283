import GlassboxCore
import Testing

@testable import GlassboxIO

/// The embedded table against numbers scikit-learn 1.9.1 gives for `load_breast_cancer()`.
@Suite("Built-in breast-cancer table")
struct BreastCancerDatasetTests {
    @Test func loadsAllTumoursWithScikitLearnsNames() throws {
        let data = try BreastCancerDataset.load()
        #expect(data.count == 569 && data.featureCount == 30 && data.features.count == 569 * 30)
        #expect(data.featureShape == [30] && data.classCount == 2)
        #expect(data.classNames == ["malignant", "benign"])
        #expect(data.featureNames.first == "mean radius" && data.featureNames[10] == "radius error")
        #expect(data.featureNames.last == "worst fractal dimension" && !data.featureNames.contains("target"))
        #expect(data.labels.filter { $0 == 0 }.count == 212 && data.labels.filter { $0 == 1 }.count == 357)
    }

    @Test func knownValuesMatchScikitLearn() throws {
        let data = try BreastCancerDataset.load()
        // load_breast_cancer(): data[1][:2] == [20.57, 17.77]; data[568][:3] == [7.76, 24.54, 47.92], target 1.
        #expect(Array(data.table.row(1).prefix(2)) == [20.57, 17.77])
        #expect(Array(data.table.row(568).prefix(3)) == [7.76, 24.54, 47.92] && data.labels[568] == 1)
        #expect(Array(data.labels.prefix(3)) == [0, 0, 0])
        // data.sum() == 1056474.4596356; the column means of mean radius and worst area.
        #expect(abs(data.features.reduce(0.0) { $0 + Double($1) } - 1_056_474.46) < 0.05)
        let (mean, deviation) = data.table.columnStatistics()
        #expect(abs(mean[0] - 14.127292) < 1e-4 && abs(mean[23] - 880.58313) < 1e-2)
        #expect(abs(deviation[0] - 3.5209508) < 1e-4 && abs(deviation[3] - 351.60475) < 1e-2)
    }

    @Test func defaultSplitTakesEveryFifthTumourOfEachClass() throws {
        let data = try BreastCancerDataset.load()
        let (train, test) = data.split()
        #expect(train.count == 456 && test.count == 113)
        #expect(test.labels.filter { $0 == 0 }.count == 42 && test.labels.filter { $0 == 1 }.count == 71)
        // The same rule in Python picks rows 4, 9, 14, 22, 27, 32 first.
        let (firstRows, _) = data.batch(indices: [4, 9, 14, 22, 27, 32])
        #expect(Array(test.features.prefix(6 * 30)) == firstRows)
        // The training half's statistics, which standardise the tabular model's input.
        let (mean, deviation) = train.table.columnStatistics()
        #expect(abs(mean[0] - 14.131276) < 1e-4 && abs(deviation[3] - 352.90827) < 1e-2)
        #expect(train.featureNames == data.featureNames && train.table.path == data.table.path)
    }
}
