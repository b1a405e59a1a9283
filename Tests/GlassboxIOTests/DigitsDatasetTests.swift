import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Built-in handwritten digits")
struct DigitsDatasetTests {
    @Test func loadsAllImages() throws {
        let digits = try DigitsDataset.load()
        #expect(digits.count == 1797)
        #expect(digits.labels.count == 1797)
        #expect(digits.images.count == 1797 * 64)
        #expect(digits.imageShape == [1, 8, 8])
        #expect(digits.classCount == 10)
    }

    @Test func classCountsMatchScikitLearn() throws {
        let digits = try DigitsDataset.load()
        var counts = [Int](repeating: 0, count: 10)
        for label in digits.labels { counts[label] += 1 }
        #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    @Test func pixelsAreScaledToUnitRange() throws {
        let digits = try DigitsDataset.load()
        #expect(digits.images.allSatisfy { (0...1).contains($0) })
        #expect(digits.images.max() == 1)
        #expect(digits.images.min() == 0)
        // scikit-learn: digits.images.sum() == 561718, and every pixel is a multiple of 1/16.
        #expect(digits.images.reduce(0.0) { $0 + Double($1) * 16 } == 561_718)
    }

    @Test func knownSamples() throws {
        let digits = try DigitsDataset.load()
        // scikit-learn: digits.target[:12] and digits.images[0][0] == [0, 0, 5, 13, 9, 1, 0, 0].
        #expect(Array(digits.labels.prefix(12)) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
        #expect(digits.labels.last == 8)
        #expect(Array(digits.images.prefix(8)) == [0, 0, 5, 13, 9, 1, 0, 0].map { Float($0) / 16 })
        #expect(digits.images[2] == 0.3125)
    }

    @Test func loadIsStable() throws {
        let first = try DigitsDataset.load()
        let second = try DigitsDataset.load()
        #expect(first.images == second.images && first.labels == second.labels)
    }

    @Test func defaultSplitTakesEveryFifthSampleOfEachClass() throws {
        let digits = try DigitsDataset.load()
        let (train, test) = digits.split()
        #expect(train.count + test.count == 1797)
        #expect(test.count == 355)
        #expect(train.count == 1442)
        #expect(train.images.count == train.count * 64 && test.images.count == test.count * 64)

        var testCounts = [Int](repeating: 0, count: 10)
        for label in test.labels { testCounts[label] += 1 }
        #expect(testCounts == [35, 36, 35, 36, 36, 36, 36, 35, 34, 36])

        // Recompute the expected membership independently: the 5th, 10th, … sample of each class.
        var seen = [Int](repeating: 0, count: 10)
        var expectedTest: [Int] = []
        var expectedTrain: [Int] = []
        for (index, label) in digits.labels.enumerated() {
            seen[label] += 1
            if seen[label] % 5 == 0 { expectedTest.append(index) } else { expectedTrain.append(index) }
        }
        #expect(Set(expectedTest).isDisjoint(with: expectedTrain))
        let expectedTestBatch = digits.batch(indices: expectedTest)
        let expectedTrainBatch = digits.batch(indices: expectedTrain)
        #expect(test.labels == expectedTestBatch.labels && test.images == expectedTestBatch.images)
        #expect(train.labels == expectedTrainBatch.labels && train.images == expectedTrainBatch.images)
    }

    @Test func splitIsDeterministic() throws {
        let digits = try DigitsDataset.load()
        let a = digits.split()
        let b = digits.split()
        #expect(a.train.labels == b.train.labels && a.test.images == b.test.images)
    }

    @Test("other fractions give ⌊n·f⌋ test samples per class", arguments: [0.0, 0.1, 0.3, 0.5, 1.0])
    func otherFractions(fraction: Double) throws {
        let digits = try DigitsDataset.load()
        let (train, test) = digits.split(testFraction: fraction)
        let classSizes = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        let expected = classSizes.map { Int((Double($0) * fraction + 1e-9).rounded(.down)) }.reduce(0, +)
        #expect(test.count == expected)
        #expect(train.count == 1797 - expected)
    }

    @Test func batchGathersSamplesInOrder() throws {
        let digits = try DigitsDataset.load()
        let batch = digits.batch(indices: [10, 0, 10])
        #expect(batch.labels == [0, 0, 0])
        #expect(batch.images.count == 3 * 64)
        #expect(Array(batch.images[64..<128]) == Array(digits.images[0..<64]))
        #expect(Array(batch.images[0..<64]) == Array(digits.images[640..<704]))
        #expect(Array(batch.images[128..<192]) == Array(digits.images[640..<704]))
        #expect(digits.batch(indices: []).images.isEmpty)
    }
}
