import GlassboxCore

/// An image cut into segments (superpixels): one label per pixel, row by row, each in
/// `0..<count`, every label used.
///
/// LIME (Ribeiro et al. 2016, `lime_image.LimeImageExplainer`) switches superpixels on and off
/// and assumes their labels are 0…n−1 (`np.unique(segments)`); ``init(height:width:labels:)``
/// makes any integer labels so. Segmentations come from a ``Segmenter`` (``SLIC``,
/// ``Quickshift``, ``RegularGrid``) or from a user's `.npy` file
/// (``read(from:height:width:)``).
public struct Segmentation: Sendable, Equatable {
    /// Rows.
    public let height: Int
    /// Pixels per row.
    public let width: Int
    /// The segment of each pixel, row-major: pixel (x, y) is `labels[y * width + x]`.
    public let labels: [Int]
    /// The number of segments; every label in `0..<count` occurs.
    public let count: Int

    /// A segmentation from arbitrary integer labels, renumbered `0..<count` in increasing order of
    /// the original value (as `np.unique(labels, return_inverse=True)` numbers them).
    ///
    /// - Throws: `GlassboxError.invalidArgument` if `height` or `width` is not positive or
    ///   `labels.count` is not `height * width`.
    public init(height: Int, width: Int, labels: [Int]) throws {
        guard height > 0, width > 0 else {
            throw GlassboxError.invalidArgument("a segmentation needs a positive size, not \(height)×\(width)")
        }
        guard labels.count == height * width else {
            throw GlassboxError.invalidArgument(
                "\(labels.count) labels do not make a \(height)×\(width) segmentation")
        }
        let values = Set(labels).sorted()
        let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($0.element, $0.offset) })
        self.height = height
        self.width = width
        self.labels = labels.map { index[$0]! }
        self.count = values.count
    }
}
