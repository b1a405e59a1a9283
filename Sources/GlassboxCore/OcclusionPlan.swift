/// The sliding windows of an occlusion (Zeiler & Fergus 2014) over one sample,
/// with the meaning of Captum's `Occlusion`, validated once and shared by every
/// backend and by the method that accumulates the attributions.
///
/// `window` and `strides` have one entry per axis of the sample shape (C, H, W
/// for an NCHW input). Along axis a of extent Dₐ the window takes
/// `ceil((Dₐ − wₐ)/sₐ) + 1` positions; position k starts at `k·sₐ` and covers
/// `k·sₐ ..< min(k·sₐ + wₐ, Dₐ)`, so the last one may be cut at the border.
///
/// Positions are numbered as Captum numbers its occlusion features: the FIRST
/// sample axis varies fastest, position p having index `p mod n₀` along axis 0,
/// `(p / n₀) mod n₁` along axis 1, and so on (nₐ the ``counts``).
public struct OcclusionPlan: Hashable, Sendable {
    /// The highest sample rank an occlusion accepts (C, H, W and one more axis).
    public static let maximumSampleRank = 4

    /// The shape of one sample (the input without its batch axis).
    public let sampleShape: Shape
    /// The extent of the window along each sample axis.
    public let window: [Int]
    /// The step between window positions along each sample axis.
    public let strides: [Int]
    /// The number of window positions along each sample axis, `ceil((Dₐ − wₐ)/sₐ) + 1`.
    public let counts: [Int]

    /// The number of window positions in all, the product of ``counts``.
    public var positionCount: Int { counts.reduce(1, *) }

    /// Checks a one-sample input `(1, …)` against a window and strides.
    ///
    /// Throws ``GlassboxError/shapeMismatch(_:)`` unless `input` is `(1, …)` with a
    /// sample rank from 1 to ``maximumSampleRank`` that `window` and `strides` both
    /// match, or when the window exceeds the sample along an axis; throws
    /// ``GlassboxError/invalidArgument(_:)`` for a non-positive window or stride,
    /// and, as Captum does, for a stride larger than the window along an axis the
    /// window does not span (elements between windows would never be occluded).
    public init(input: Shape, window: [Int], strides: [Int]) throws {
        let sample = input.sampleShape
        guard input.rank >= 2, input[0] == 1, sample.rank <= Self.maximumSampleRank else {
            throw GlassboxError.shapeMismatch(
                "occlusion needs one sample (1, …) of 1 to \(Self.maximumSampleRank) axes, got \(input)")
        }
        guard window.count == sample.rank, strides.count == sample.rank else {
            throw GlassboxError.shapeMismatch(
                "occlusion of a sample \(sample) needs \(sample.rank) window extents and strides, "
                    + "got window \(window) and strides \(strides)")
        }
        guard window.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 > 0 }) else {
            throw GlassboxError.invalidArgument("occlusion window \(window) and strides \(strides) must be positive")
        }
        guard zip(window, sample.dimensions).allSatisfy({ $0 <= $1 }) else {
            throw GlassboxError.shapeMismatch("occlusion window \(window) exceeds the sample \(sample)")
        }
        for axis in 0..<sample.rank where window[axis] < sample[axis] && strides[axis] > window[axis] {
            throw GlassboxError.invalidArgument(
                "occlusion stride \(strides[axis]) exceeds the window \(window[axis]) along axis "
                    + "\(axis) of the sample \(sample), leaving elements never occluded")
        }
        sampleShape = sample
        self.window = window
        self.strides = strides
        counts = (0..<sample.rank).map { axis in
            (sample[axis] - window[axis] + strides[axis] - 1) / strides[axis] + 1
        }
    }

    /// The window of position number `position` as one range of indices per sample axis.
    public func windowRanges(at position: Int) -> [Range<Int>] {
        precondition((0..<positionCount).contains(position), "occlusion position \(position) of \(positionCount)")
        var remainder = position
        return counts.indices.map { axis in
            let start = remainder % counts[axis] * strides[axis]
            remainder /= counts[axis]
            return start..<min(start + window[axis], sampleShape[axis])
        }
    }

    /// The shape `(positions.count, …)` of the occlusion batch for `positions`, which
    /// must be a non-empty part of `0 ..< positionCount` (else ``GlassboxError/invalidArgument(_:)``).
    public func batchShape(positions: Range<Int>) throws -> Shape {
        guard !positions.isEmpty, positions.lowerBound >= 0, positions.upperBound <= positionCount else {
            throw GlassboxError.invalidArgument(
                "occlusion positions \(positions) are empty or outside 0..<\(positionCount)")
        }
        return Shape([positions.count] + sampleShape.dimensions)
    }
}
