import Foundation
import GlassboxCore

/// scikit-learn's handwritten digits: 1797 grey-scale 8×8 images of the digits 0–9, built into
/// the module so it works without the source tree or a network connection.
///
/// The data is scikit-learn's copy of the test set of the UCI "Optical Recognition of
/// Handwritten Digits" data set (Alpaydin & Kaynak, 1998; CC BY 4.0). Each pixel counts the set
/// bits in a 4×4 block of a 32×32 bitmap (0…16); ``images`` scales it to 0…1 by dividing by 16.
public struct DigitsDataset: Sendable {
    /// The pixels of every image, image after image, each in (channel, row, column) order with one
    /// channel, scaled to 0…1; `images.count == count * 64`.
    public let images: [Float]
    /// The digit (0…9) each image shows; `labels.count == count`.
    public let labels: [Int]

    /// The number of images.
    public var count: Int { labels.count }
    /// The shape of one image: (1, 8, 8), that is one channel of 8 rows of 8 pixels.
    public var imageShape: Shape { [1, 8, 8] }
    /// The number of classes (the digits 0…9).
    public var classCount: Int { 10 }

    /// The number of pixels in one image.
    static let pixelsPerImage = 64

    /// Creates a dataset from scaled pixels and labels; the caller guarantees the counts agree.
    init(images: [Float], labels: [Int]) {
        precondition(images.count == labels.count * Self.pixelsPerImage, "images and labels disagree")
        self.images = images
        self.labels = labels
    }

    /// The whole data set, decoded once from the embedded `.npy` files.
    private static let embedded: Result<DigitsDataset, GlassboxError> = Result { () throws(GlassboxError) in
        try decodeEmbedded()
    }

    /// Loads all 1797 images and their labels from the copy embedded in the module.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the embedded data is missing or
    ///   damaged (which would mean a broken build).
    public static func load() throws -> DigitsDataset {
        try embedded.get()
    }

    /// Decodes and checks the embedded image and label arrays.
    private static func decodeEmbedded() throws(GlassboxError) -> DigitsDataset {
        let imagesName = "digits-images.npy"
        let labelsName = "digits-labels.npy"
        let imageArray = try embeddedArray(named: imagesName)
        let labelArray = try embeddedArray(named: labelsName)
        let dimensions = imageArray.shape.dimensions
        guard dimensions.count == 3, dimensions[1] == 8, dimensions[2] == 8 else {
            throw GlassboxError.invalidFile(
                path: embeddedPath(imagesName), reason: "expected shape (N, 8, 8), found \(imageArray.shape)")
        }
        guard labelArray.shape.dimensions == [dimensions[0]] else {
            throw GlassboxError.invalidFile(
                path: embeddedPath(labelsName),
                reason: "expected shape (\(dimensions[0]),) to match the images, found \(labelArray.shape)")
        }
        guard imageArray.values.allSatisfy({ (0...16).contains($0) }) else {
            throw GlassboxError.invalidFile(path: embeddedPath(imagesName), reason: "pixel outside 0...16")
        }
        var labels: [Int] = []
        labels.reserveCapacity(labelArray.values.count)
        for value in labelArray.values {
            guard (0...9).contains(value), value.rounded() == value else {
                throw GlassboxError.invalidFile(path: embeddedPath(labelsName), reason: "label \(value) is not a digit")
            }
            labels.append(Int(value))
        }
        return DigitsDataset(images: imageArray.values.map { $0 / 16 }, labels: labels)
    }

    /// The path used to name an embedded file in error messages.
    private static func embeddedPath(_ name: String) -> String { "<embedded>/\(name)" }

    /// Parses the embedded `.npy` file `name`.
    private static func embeddedArray(named name: String) throws(GlassboxError) -> NumpyArray {
        guard let data = EmbeddedResources.data(named: name) else {
            throw GlassboxError.invalidFile(path: embeddedPath(name), reason: "not embedded in GlassboxIO")
        }
        do {
            return try NumpyArray(npyData: data, path: embeddedPath(name))
        } catch let error as GlassboxError {
            throw error
        } catch {
            throw GlassboxError.invalidFile(path: embeddedPath(name), reason: "\(error)")
        }
    }

    /// Splits the data set into a training and a test set, deterministically and without any
    /// random numbers, stratified by class.
    ///
    /// The samples of each class are numbered 0, 1, 2, … in data set order. Sample number `k` of
    /// its class goes to the test set exactly when `⌊(k + 1)·f⌋ > ⌊k·f⌋` (with `f = testFraction`,
    /// computed with a 1e-9 tolerance), otherwise to the training set. So each class contributes
    /// `⌊n·f⌋` of its `n` samples to the test set, spread evenly through it; with the default
    /// `f = 0.2` that is every 5th sample of each class (numbers 4, 9, 14, …), giving 355 test
    /// and 1442 training images for the full data set. Both halves keep data set order.
    ///
    /// - Parameter testFraction: The share of each class to hold out, in 0…1.
    public func split(testFraction: Double = 0.2) -> (train: DigitsDataset, test: DigitsDataset) {
        let (trainIndices, testIndices) = StratifiedSplit.indices(labels: labels, testFraction: testFraction)
        return (subset(trainIndices), subset(testIndices))
    }

    /// The images and labels of the samples at `indices`, in that order (repeats allowed).
    ///
    /// Images are concatenated, 64 pixels each, ready to wrap in a tensor of shape
    /// (`indices.count`, 1, 8, 8). Every index must be in `0..<count`.
    public func batch(indices: [Int]) -> (images: [Float], labels: [Int]) {
        var batchImages: [Float] = []
        batchImages.reserveCapacity(indices.count * Self.pixelsPerImage)
        var batchLabels: [Int] = []
        batchLabels.reserveCapacity(indices.count)
        for index in indices {
            precondition(labels.indices.contains(index), "sample index \(index) is outside 0..<\(count)")
            let start = index * Self.pixelsPerImage
            batchImages.append(contentsOf: images[start..<(start + Self.pixelsPerImage)])
            batchLabels.append(labels[index])
        }
        return (batchImages, batchLabels)
    }

    /// The data set made of the samples at `indices`.
    private func subset(_ indices: [Int]) -> DigitsDataset {
        let (subsetImages, subsetLabels) = batch(indices: indices)
        return DigitsDataset(images: subsetImages, labels: subsetLabels)
    }
}
