import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Out-of-distribution digits")
struct OutOfDistributionTests {
    @Test func transformsKeepTheShapeAndTheRange() throws {
        let test = try DigitsDataset.load().split().test
        for kind in DigitsDataset.OutOfDistribution.allCases {
            let images = test.outOfDistribution(kind, seed: 3)
            #expect(images.count == test.images.count && images.allSatisfy { (0...1).contains($0) }, "\(kind)")
        }
        #expect(test.outOfDistribution(.noise, seed: 3) == test.outOfDistribution(.noise, seed: 3))
        #expect(test.outOfDistribution(.noise, seed: 3) != test.outOfDistribution(.noise, seed: 4))
        #expect(zip(test.outOfDistribution(.inverted), test.images).allSatisfy { $0 + $1 == 1 })
    }

    /// A quarter turn counter-clockwise moves the top-right pixel to the top-left; four turns are the identity.
    @Test func rotationTurnsAQuarterCounterClockwise() {
        var pixels = [Float](repeating: 0, count: 64)
        pixels[7] = 1  // row 0, column 7
        let once = DigitsDataset(images: pixels, labels: [0]).outOfDistribution(.rotated)
        #expect(once[0] == 1 && once.reduce(0, +) == 1)
        var turned = pixels
        for _ in 0..<4 { turned = DigitsDataset(images: turned, labels: [0]).outOfDistribution(.rotated) }
        #expect(turned == pixels)
    }
}
