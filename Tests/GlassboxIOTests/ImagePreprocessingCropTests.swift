import GlassboxCore
import Testing

@testable import GlassboxIO

/// `ImagePreprocessing`'s shorter-side resize and centre crop, placed as torchvision places them.
@Suite struct ImagePreprocessingCropTests {
    /// A one-row gray image whose pixel in column x has the value 10·x.
    static func ramp(width: Int) -> Image {
        Image(width: width, height: 1, channels: 1, pixels: (0..<width).map { UInt8(10 * $0) })
    }

    @Test func theShorterSideIsResizedAndTheLongerTruncatedAsTorchvisionDoes() {
        let preprocessing = ImagePreprocessing(shorterSide: 256)
        // torchvision: new_long = int(256 · long / short).
        #expect(preprocessing.outputSize(height: 375, width: 500) == (256, 341))
        #expect(preprocessing.outputSize(height: 531, width: 377) == (360, 256))
        #expect(preprocessing.outputSize(height: 256, width: 256) == (256, 256))
        #expect(ImagePreprocessing(size: (5, 7), shorterSide: 256).outputSize(height: 100, width: 200) == (5, 7))
    }

    @Test(
        "the crop's offset is round((size − crop) / 2), halves to even",
        arguments: [(7, 2), (8, 2), (9, 3), (10, 4), (11, 4)])
    func centreCropOffsets(width: Int, left: Int) throws {
        let preprocessing = ImagePreprocessing(channels: 1, centerCrop: (1, 3), scalesToUnitRange: false)
        let array = try Self.ramp(width: width).chwArray(preprocessing)
        #expect(array.shape == [1, 1, 3])
        #expect(array.values == (left..<(left + 3)).map { Float(10 * $0) })
    }

    @Test func theImageNetRecipeScalesItsResizeWithTheModelsSize() {
        let standard = ImagePreprocessing.imageNetCenterCrop()
        #expect(standard.shorterSide == 256 && standard.size == nil)
        #expect(standard.centerCrop.map { $0 == (224, 224) } == true)
        #expect(standard.mean == [0.485, 0.456, 0.406] && standard.std == [0.229, 0.224, 0.225])
        #expect(ImagePreprocessing.imageNetCenterCrop(size: (299, 299)).shorterSide == 342)  // Inception v3's 342
        #expect(ImagePreprocessing.imageNetCenterCrop(size: (224, 448)).shorterSide == 512)
    }

    @Test func aCropLargerThanTheResizedImageIsRefused() {
        let preprocessing = ImagePreprocessing(channels: 1, centerCrop: (2, 3))
        #expect(throws: GlassboxError.invalidArgument("cannot crop 2×3 pixels from an image resized to 1×5")) {
            try Self.ramp(width: 5).chwArray(preprocessing)
        }
    }
}
