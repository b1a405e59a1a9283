import Foundation

/// A one-dimensional Gaussian filter computed as `scipy.ndimage.gaussian_filter1d` computes it
/// (order 0, `mode='reflect'`, `truncate=4.0`), in float64 — the smoothing of scikit-image's `slic`
/// and `quickshift` (`skimage._shared.filters.gaussian`).
///
/// The kernel is `scipy.ndimage._gaussian_kernel1d`: radius `Int(4σ + 0.5)`, weights
/// `exp(-0.5 / σ² · x²)` divided by their sum, summed as numpy sums (pairwise, eight accumulators).
/// The correlation is `NI_Correlate1D`'s symmetric branch: the centre sample times the centre weight,
/// then `(left + right) · weight` added from the outermost pair inwards. Samples beyond either end
/// are reflected about the edge, sample included (`d c b a | a b c d | d c b a`), as often as the
/// radius needs. The values agree with scipy's up to the last bit of `exp`, where numpy's
/// vectorised `exp` may differ from the C library's.
struct GaussianFilter {
    /// The weights of offsets 0…radius (the kernel is symmetric).
    let weights: [Double]

    /// The filter of standard deviation `sigma` (> 0).
    init(sigma: Double) {
        precondition(sigma > 0, "a Gaussian filter needs a positive sigma, not \(sigma)")
        let radius = Int(4 * sigma + 0.5)
        let scale = -0.5 / (sigma * sigma)
        let kernel = (-radius...radius).map { exp(scale * Double($0 * $0)) }
        let total = Self.pairwiseSum(kernel[...])
        weights = kernel[radius...].map { $0 / total }
    }

    /// `values` filtered along one axis: they are `outer` blocks of `length` steps along the axis,
    /// each step `inner` contiguous values.
    func filter(_ values: [Double], outer: Int, length: Int, inner: Int) -> [Double] {
        let radius = weights.count - 1
        // Source index of each position of the extended line, -radius ..< length + radius.
        let reflected = (-radius..<(length + radius)).map { position in
            let period = 2 * length
            let folded = (position % period + period) % period
            return folded < length ? folded : period - 1 - folded
        }
        var result = [Double](repeating: 0, count: values.count)
        for block in 0..<outer {
            for lane in 0..<inner {
                let base = block * length * inner + lane
                let line = reflected.map { values[base + $0 * inner] }
                for index in 0..<length {
                    let centre = index + radius
                    var sum = line[centre] * weights[0]
                    for offset in stride(from: radius, through: 1, by: -1) {
                        sum += (line[centre - offset] + line[centre + offset]) * weights[offset]
                    }
                    result[base + index * inner] = sum
                }
            }
        }
        return result
    }

    /// The sum of `values` in numpy's order (`pairwise_sum` of `numpy/_core/src/umath/loops_utils.h`):
    /// fewer than 8 values in a row; up to 128 in eight interleaved partial sums combined as a tree,
    /// then the remainder; more split in two at a multiple of 8.
    static func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
        let count = values.count, start = values.startIndex
        if count < 8 {
            return values.reduce(0, +)
        }
        if count <= 128 {
            var partial = Array(values[start..<(start + 8)])
            var index = 8
            while index < count - count % 8 {
                for lane in 0..<8 { partial[lane] += values[start + index + lane] }
                index += 8
            }
            var sum =
                ((partial[0] + partial[1]) + (partial[2] + partial[3]))
                + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
            for value in values[(start + index)...] { sum += value }
            return sum
        }
        let half = count / 2 - count / 2 % 8
        return pairwiseSum(values[start..<(start + half)]) + pairwiseSum(values[(start + half)...])
    }
}
