import Foundation
import GlassboxCore

extension Segmentation {
    /// Reads a user's segmentation of a `height`×`width` image from a `.npy` file (the CLI's
    /// `--segments seg.npy`): an H×W array of integer-valued labels of any dtype ``NumpyArray``
    /// reads, renumbered as ``init(height:width:labels:)`` does.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file if it cannot be read, is
    ///   not a `.npy` array, is not H×W ("segmentation is 5×5, the image is 8×8") or holds a label
    ///   that is not an integer.
    public static func read(from url: URL, height: Int, width: Int) throws -> Segmentation {
        let (data, path) = try UserFile.contents(of: url)
        return try Segmentation(npyData: data, path: path, height: height, width: width)
    }

    /// Parses the contents of a segmentation `.npy` file for a `height`×`width` image; `path`
    /// names it in error messages (see ``read(from:height:width:)``).
    public init(npyData data: Data, path: String, height: Int, width: Int) throws {
        let array = try NumpyArray(npyData: data, path: path)
        func invalid(_ reason: String) -> GlassboxError { .invalidFile(path: path, reason: reason) }
        let dimensions = array.shape.dimensions
        guard dimensions.count == 2 else {
            throw invalid(
                "segmentation has shape \(NumpyArray.describe(dimensions)), expected the image's \(height)×\(width)")
        }
        guard dimensions == [height, width] else {
            throw invalid("segmentation is \(dimensions[0])×\(dimensions[1]), the image is \(height)×\(width)")
        }
        var labels = [Int]()
        labels.reserveCapacity(array.values.count)
        for (index, value) in array.values.enumerated() {
            guard value.isFinite, value == value.rounded() else {
                throw invalid(
                    "segmentation holds \(value) at row \(index / width), column \(index % width); "
                        + "labels must be integers")
            }
            labels.append(Int(value))
        }
        try self.init(height: height, width: width, labels: labels)
    }
}
