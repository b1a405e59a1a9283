/// A way to cut an image into superpixels for LIME (Ribeiro et al., "Why Should I Trust You?",
/// KDD 2016), which explains an image by switching its superpixels on and off — what the CLI's
/// `--segmenter slic|quickshift|grid` chooses.
///
/// The image is segmented at the size the model sees (resize it first). ``lime`` is LIME's default,
/// `quickshift(kernel_size=4, max_dist=200, ratio=0.2)`; SLIC's defaults are 100 segments,
/// compactness 10 and sigma 1.
public enum Segmenter: Sendable, Equatable {
    /// ``SLIC`` with about `segments` segments, `compactness` and smoothing `sigma`.
    case slic(segments: Int, compactness: Double, sigma: Double)
    /// ``Quickshift`` with `kernelSize`, `maximumDistance` and `ratio`.
    case quickshift(kernelSize: Double, maximumDistance: Double, ratio: Double)
    /// A ``RegularGrid`` of `rows`×`columns` cells.
    case grid(rows: Int, columns: Int)

    /// LIME's default segmenter: quick shift with `kernel_size=4, max_dist=200, ratio=0.2`.
    public static let lime = Segmenter.quickshift(
        kernelSize: Quickshift.defaultKernelSize, maximumDistance: Quickshift.defaultMaximumDistance,
        ratio: Quickshift.defaultRatio)

    /// SLIC with its defaults: 100 segments, compactness 10, sigma 1.
    public static let defaultSLIC = Segmenter.slic(
        segments: SLIC.defaultSegments, compactness: SLIC.defaultCompactness, sigma: SLIC.defaultSigma)

    /// The segmentation of `image`.
    ///
    /// - Throws: `GlassboxError.invalidArgument` if a parameter is outside what the segmenter
    ///   accepts (see ``SLIC/segment(_:)``, ``Quickshift/segment(_:)``, ``RegularGrid/segment(_:)``).
    public func segment(_ image: Image) throws -> Segmentation {
        switch self {
        case .slic(let segments, let compactness, let sigma):
            try SLIC(segments: segments, compactness: compactness, sigma: sigma).segment(image)
        case .quickshift(let kernelSize, let maximumDistance, let ratio):
            try Quickshift(kernelSize: kernelSize, maximumDistance: maximumDistance, ratio: ratio).segment(image)
        case .grid(let rows, let columns):
            try RegularGrid(rows: rows, columns: columns).segment(image)
        }
    }
}
