import GlassboxCore

/// SLIC superpixels (Achanta et al., "SLIC Superpixels Compared to State-of-the-Art Superpixel
/// Methods", TPAMI 2012), computed as scikit-image 0.26's `skimage.segmentation.slic` computes them
/// for a 2-D image with `max_num_iter=10`, `enforce_connectivity=True`, `min_size_factor=0.5`,
/// `max_size_factor=3`, `start_label=0`, no mask, no `spacing` and `slic_zero=False`.
///
/// As skimage does, in float64: the samples are scaled to 0…1 (`img_as_float`) and then stretched
/// so the smallest is 0 and the largest 1; an RGB image (RGBA: alpha ignored) is converted to
/// CIE L\*a\*b\* (`rgb2lab`, `convert2lab=True`), a gray one is clustered on its one channel;
/// with `sigma` > 0 it is smoothed by scipy's Gaussian filter (`mode='reflect'`, along the
/// singleton depth axis too, as skimage filters its (1, H, W, C) volume). The seeds are skimage's
/// `regular_grid` of about ``segments`` points, colours are divided by ``compactness``, and ten
/// rounds of k-means (`_slic_cython`) assign each pixel, within ±2 grid steps of each centre, to
/// the centre nearest in `colour² + (space / step)²`. Finally segments smaller than half the
/// average size are merged into a neighbour (`_enforce_label_connectivity_cython`).
///
/// The labels equal skimage's (measured: identical on every photo and parameter set tried, from
/// 1×2 to 224×224 pixels) unless numpy's vectorised `power`, `cbrt` or `exp` (in `rgb2lab` and the
/// Gaussian kernel), which can differ from the C library's in the last bit, flip a distance
/// comparison. Should a pixel be reached by no centre (skimage leaves it at −1), such pixels form
/// one more segment, numbered 0.
public struct SLIC: Sendable, Equatable {
    /// The approximate number of segments (`n_segments`); the default is skimage's, 100.
    public var segments: Int
    /// How much space counts against colour (`compactness`): higher values give squarer segments;
    /// the default is skimage's, 10 (in L\*a\*b\* units, for RGB images).
    public var compactness: Double
    /// The standard deviation, in pixels, of the Gaussian smoothing before clustering (`sigma`);
    /// 0 smooths nothing. The default, 1, is what LIME's examples pass (skimage's own default is 0).
    public var sigma: Double

    /// The default number of segments, skimage's `n_segments=100`.
    public static let defaultSegments = 100
    /// The default compactness, skimage's `compactness=10`.
    public static let defaultCompactness = 10.0
    /// The default smoothing, `sigma=1`.
    public static let defaultSigma = 1.0
    /// The rounds of k-means, skimage's `max_num_iter=10`.
    public static let iterations = 10

    /// SLIC with about `segments` segments (≥ 1), `compactness` (> 0) and smoothing `sigma` (≥ 0).
    public init(
        segments: Int = defaultSegments, compactness: Double = defaultCompactness, sigma: Double = defaultSigma
    ) {
        self.segments = segments
        self.compactness = compactness
        self.sigma = sigma
    }

    /// The SLIC segmentation of `image`.
    ///
    /// - Throws: `GlassboxError.invalidArgument` if ``segments`` is below 1, ``compactness`` is not
    ///   positive or ``sigma`` is negative.
    public func segment(_ image: Image) throws -> Segmentation {
        guard segments >= 1 else {
            throw GlassboxError.invalidArgument("SLIC needs at least 1 segment, not \(segments)")
        }
        guard compactness > 0, compactness.isFinite else {
            throw GlassboxError.invalidArgument("SLIC compactness must be positive, not \(compactness)")
        }
        guard sigma >= 0, sigma.isFinite else {
            throw GlassboxError.invalidArgument("SLIC sigma must be 0 or positive, not \(sigma)")
        }
        let (height, width) = (image.height, image.width)
        var (features, channels) = image.unitSamples()
        let low = features.min()!, high = features.max()!
        features = features.map { high == low ? $0 - low : ($0 - low) / (high - low) }
        if channels == 3 {
            features = CIELab.lab(fromRGB: features)
        }
        let (seeds, step) = Self.gridSeeds(height: height, width: width, count: segments)
        if sigma > 0 {
            let filter = GaussianFilter(sigma: sigma)
            features = filter.filter(features, outer: 1, length: 1, inner: features.count)  // depth
            features = filter.filter(features, outer: 1, length: height, inner: width * channels)
            features = filter.filter(features, outer: height, length: width, inner: channels)
        }
        let ratio = 1.0 / compactness
        features = features.map { $0 * ratio }
        let labels = Self.cluster(
            features: features, channels: channels, height: height, width: width, seeds: seeds, step: step)
        let segmentSize = Double(height * width) / Double(seeds.count)
        let connected = Self.enforcingConnectivity(
            labels, height: height, width: width, minimumSize: Int(0.5 * segmentSize),
            maximumSize: Int(3 * segmentSize))
        return try Segmentation(height: height, width: width, labels: connected)
    }
}
