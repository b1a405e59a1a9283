import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Image converts to and from CHW float arrays as torchvision does")
struct ImageChwArrayTests {
    static let sizes = [(20, 17), (4, 5), (6, 29)]

    static func rgb() throws -> Image {
        try Image.read(from: TestSupport.imageFixture("rgb.png"))
    }

    @Test("resizing matches F.interpolate", arguments: ["nearest", "bilinear", "bilinear-antialias"])
    func resizeMatchesPyTorch(mode: String) throws {
        for (height, width) in Self.sizes {
            let preprocessing = ImagePreprocessing(
                size: (height, width), resampling: mode == "nearest" ? .nearest : .bilinear,
                antialias: mode == "bilinear-antialias")
            let array = try Self.rgb().chwArray(preprocessing)
            let expected = try TestSupport.imageFixtureArray("resized-\(mode)-\(height)x\(width)")
            #expect(array.shape == expected.shape)
            #expect(normalisedError(array.values, expected.values) < 1e-5, "\(mode) \(height)×\(width)")
        }
    }

    @Test func antialiasingOnlyChangesDownscaling() throws {
        let image = try Self.rgb()
        let up = ImagePreprocessing(size: (20, 17))
        var plainUp = up
        plainUp.antialias = false
        #expect(normalisedError(try image.chwArray(up).values, try image.chwArray(plainUp).values) < 1e-6)
    }

    @Test func grayscaleIsPillowsLuma() throws {
        let expected = try TestSupport.imageFixtureArray("rgb-luma")
        #expect(try Self.rgb().converted(toChannels: 1).pixels.map(Float.init) == expected.values)
        let array = try Self.rgb().chwArray(ImagePreprocessing(channels: 1, scalesToUnitRange: false))
        #expect(array.shape == [1, 9, 13])
        #expect(array.values == expected.values)
    }

    @Test func scalingChannelOrderAndNormalisation() throws {
        // One pixel of each of two colours, then the same as gray+alpha.
        let image = Image(width: 2, height: 1, channels: 4, pixels: [255, 51, 0, 128, 0, 102, 204, 255])
        let plain = try image.chwArray()
        #expect(plain.shape == [3, 1, 2])
        #expect(plain.values == [1, 0, 0.2, 0.4, 0, 0.8])
        let caffe = try image.chwArray(
            ImagePreprocessing(scalesToUnitRange: false, channelOrder: .bgr, mean: [100, 50, 0]))
        #expect(caffe.values == [-100, 104, 1, 52, 255, 0])
        let normalised = try image.chwArray(
            ImagePreprocessing(channels: 4, mean: [0.5, 0.5, 0.5, 0], std: [0.5, 0.25, 2, 1]))
        #expect(normalised.shape == [4, 1, 2])
        let expected: [Float] = [1, -1, -1.2, -0.4, -0.25, 0.15, 128.0 / 255, 1]
        #expect(normalisedError(normalised.values, expected) < 1e-6)
    }

    @Test func imageNetPreset() throws {
        let array = try Self.rgb().chwArray(.imageNet(size: (8, 8)))
        #expect(array.shape == [3, 8, 8])
        let pixel = try Image(width: 1, height: 1, channels: 3, pixels: [255, 255, 255]).chwArray(
            .imageNet(size: (1, 1)))
        let expected: [Float] = [(1 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225]
        #expect(normalisedError(pixel.values, expected) < 1e-6)
    }

    @Test(
        "inconsistent settings are refused",
        arguments: [
            (ImagePreprocessing(channels: 2), "a model input image has 1, 3 or 4 channels, not 2"),
            (ImagePreprocessing(size: (0, 4)), "cannot resize an image to 0×4"),
            (ImagePreprocessing(mean: [0.5, 0.5]), "mean has 2 values for 3 channels"),
            (ImagePreprocessing(std: [1, 0, 1]), "mean must be finite and std finite and non-zero"),
        ])
    func invalidSettings(preprocessing: ImagePreprocessing, message: String) throws {
        #expect(throws: GlassboxError.invalidArgument(message)) { try Self.rgb().chwArray(preprocessing) }
    }

    @Test func backToAnImage() throws {
        for name in ["gray.png", "rgb.png", "rgba.png"] {
            let image = try Image.read(from: TestSupport.imageFixture(name))
            #expect(
                try Image(chwArray: image.chwArray(ImagePreprocessing(channels: image.channels))) == image, "\(name)")
        }
        let clipped = try Image(chwArray: NumpyArray(shape: [1, 1, 2, 2], values: [-0.5, 0.5, .nan, 2]))
        #expect(clipped == Image(width: 2, height: 2, channels: 1, pixels: [0, 128, 0, 255]))
        #expect(throws: GlassboxError.shapeMismatch("an image array has 1, 3 or 4 channels, not 2 (shape (2×1×1))")) {
            try Image(chwArray: NumpyArray(shape: [2, 1, 1], values: [0, 0]))
        }
        #expect(throws: GlassboxError.shapeMismatch("expected an array shaped H×W, C×H×W or 1×C×H×W, got (2×1×1×1)")) {
            try Image(chwArray: NumpyArray(shape: [2, 1, 1, 1], values: [0, 0]))
        }
    }

    @Test func resizedImagesRoundToTheNearestLevel() throws {
        let image = Image(width: 2, height: 1, channels: 1, pixels: [0, 255])
        #expect(image.resized(height: 1, width: 4).pixels == [0, 64, 191, 255])
        #expect(image.resized(height: 2, width: 4, resampling: .nearest).pixels == [0, 0, 255, 255, 0, 0, 255, 255])
    }
}
