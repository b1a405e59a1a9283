import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Heatmaps reduce, normalise and colour attribution maps")
struct HeatmapTests {
    static func uniformColor(_ image: Image) -> ArraySlice<UInt8>? {
        let first = image.pixel(x: 0, y: 0)
        return stride(from: 0, to: image.pixels.count, by: image.channels)
            .allSatisfy { image.pixels[$0..<($0 + image.channels)].elementsEqual(first) } ? first : nil
    }

    @Test func channelReductions() throws {
        let attribution = NumpyArray(shape: [2, 1, 3], values: [1, -4, 0, -2, 3, 0])
        let magnitude = try Heatmap(attribution: attribution, percentile: 100)
        #expect(magnitude.values == [0.5, 1, 0])
        let signed = try Heatmap(attribution: attribution, reduction: .sum, polarity: .signed, percentile: 100)
        #expect(signed.values == [-1, -1, 0])
        #expect((signed.width, signed.height, signed.polarity) == (3, 1, .signed))
    }

    @Test func normalisesByTheNinetyNinthPercentile() throws {
        // 1…100: numpy.percentile(…, 99) = 99.01.
        let heatmap = try Heatmap(attribution: NumpyArray(shape: [10, 10], values: (1...100).map(Float.init)))
        #expect(Heatmap.percentile((1...100).map(Float.init), 99) == 99.01)
        #expect(heatmap.values[99] == 1)
        #expect(abs(heatmap.values[49] - 50 / 99.01) < 1e-6)
        // The signed scale is the percentile of the magnitudes; zero stays zero.
        let signed = try Heatmap(
            attribution: NumpyArray(shape: [1, 4], values: [-8, 0, 2, 4]), reduction: .sum,
            polarity: .signed, percentile: 50)
        #expect(signed.values == [-1, 0, 2.0 / 3, 1])
    }

    @Test func sparseMapsFallBackToTheMaximum() throws {
        let values = [Float](repeating: 0, count: 199) + [5]
        let heatmap = try Heatmap(attribution: NumpyArray(shape: [10, 20], values: values))
        #expect(heatmap.values.last == 1)
        #expect(heatmap.values.dropLast().allSatisfy { $0 == 0 })
    }

    @Test("all-zero and constant maps draw as one colour, never NaN", arguments: Heatmap.Polarity.allCases)
    func degenerateMaps(polarity: Heatmap.Polarity) throws {
        for constant: Float in [0, 3, -2] {
            let heatmap = try Heatmap(
                attribution: NumpyArray(shape: [3, 5, 4], values: .init(repeating: constant, count: 60)),
                reduction: polarity == .signed ? .sum : .maxAbsolute, polarity: polarity)
            #expect(heatmap.values.allSatisfy { $0.isFinite })
            let image = heatmap.image()
            #expect((image.width, image.height, image.channels) == (4, 5, 3))
            #expect(Self.uniformColor(image) != nil, "\(polarity) map of \(constant)")
        }
        let zero = try Heatmap(attribution: NumpyArray(shape: [2, 2], values: [0, 0, 0, 0]), polarity: polarity).image()
        let expected = polarity == .signed ? Colormap.redBlue.color(at: 0.5) : Colormap.viridis.color(at: 0)
        #expect(Self.uniformColor(zero).map(Array.init) == [expected.x, expected.y, expected.z])
    }

    @Test func signedMapsAreWhiteAtZeroBlueBelowRedAbove() throws {
        let image = try Heatmap(
            attribution: NumpyArray(shape: [1, 3], values: [-1, 0, 1]), reduction: .sum,
            polarity: .signed, percentile: 100
        ).image()
        #expect(image.pixels == [5, 48, 97, 247, 247, 247, 103, 0, 31])
    }

    @Test func refusesBadInput() {
        #expect(throws: GlassboxError.invalidArgument("the attribution holds NaN or infinite values")) {
            try Heatmap(attribution: NumpyArray(shape: [1, 2], values: [1, .nan]))
        }
        #expect(throws: GlassboxError.invalidArgument("the heatmap percentile must be in (0, 100], not 0.0")) {
            try Heatmap(attribution: NumpyArray(shape: [1, 2], values: [1, 2]), percentile: 0)
        }
        #expect(throws: GlassboxError.shapeMismatch("expected an array shaped H×W, C×H×W or 1×C×H×W, got (4)")) {
            try Heatmap(attribution: NumpyArray(shape: [4], values: [1, 2, 3, 4]))
        }
    }

    @Test func overlayBlendsOverTheGrayImage() throws {
        let image = Image(width: 4, height: 2, channels: 3, pixels: [UInt8](repeating: 100, count: 24))
        let heatmap = try Heatmap(attribution: NumpyArray(shape: [2, 4], values: [0, 1, 2, 3, 4, 5, 6, 7]))
        #expect(try heatmap.overlay(on: image, alpha: 0).pixels == [UInt8](repeating: 100, count: 24))
        #expect(try heatmap.overlay(on: image, alpha: 1) == heatmap.image())
        let half = try heatmap.overlay(on: image)
        #expect(half.pixel(x: 0, y: 0).elementsEqual([84, 51, 92]))  // ((100, 100, 100) + (68, 1, 84)) / 2, rounded
        #expect(throws: GlassboxError.invalidArgument("the overlay alpha must be in 0…1, not 1.5")) {
            try heatmap.overlay(on: image, alpha: 1.5)
        }
        // A heatmap of another size is resized to the image.
        let large = Image(width: 8, height: 4, channels: 1, pixels: [UInt8](repeating: 0, count: 32))
        let overlay = try heatmap.overlay(on: large, alpha: 1)
        #expect((overlay.width, overlay.height, overlay.channels) == (8, 4, 3))
    }
}
