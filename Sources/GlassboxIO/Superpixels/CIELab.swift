import Foundation

/// sRGB to CIE L\*a\*b\* (illuminant D65, 2° observer) as scikit-image's `skimage.color.rgb2lab`
/// computes it in float64: the sRGB transfer function undone (`((v + 0.055) / 1.055)^2.4` above
/// 0.04045, `v / 12.92` below), the sRGB-to-XYZ matrix of `xyz_from_rgb`, division by the white
/// point (0.95047, 1, 1.08883), the cube root above 0.008856 (`7.787 t + 16/116` below), and
/// L = 116 y − 16, a = 500 (x − y), b = 200 (y − z).
///
/// The matrix product is summed as OpenBLAS's `dgemm` sums it for numpy (fused multiply-adds, red
/// first). numpy's vectorised `power` and `cbrt` may differ from the C library's in the last bit,
/// so values can differ from scikit-image's by an ulp or two.
enum CIELab {
    /// The rows of skimage's `xyz_from_rgb` (sRGB specification).
    static let xyzFromRGB: [[Double]] = [
        [0.412453, 0.357580, 0.180423],
        [0.212671, 0.715160, 0.072169],
        [0.019334, 0.119193, 0.950227],
    ]

    /// The CIE XYZ tristimulus values of illuminant D65 for the 2° observer, as skimage has them.
    static let whitePoint: [Double] = [0.95047, 1.0, 1.08883]

    /// `rgb`, interleaved red, green, blue triples in 0…1, as interleaved L, a, b triples.
    static func lab(fromRGB rgb: [Double]) -> [Double] {
        precondition(rgb.count % 3 == 0, "\(rgb.count) samples are not RGB triples")
        var result = [Double](repeating: 0, count: rgb.count)
        for start in stride(from: 0, to: rgb.count, by: 3) {
            let linear = rgb[start..<(start + 3)].map { $0 > 0.04045 ? pow(($0 + 0.055) / 1.055, 2.4) : $0 / 12.92 }
            let xyz = (0..<3).map { row in
                let weights = xyzFromRGB[row]
                let scaled = (linear[0] * weights[0]).addingProduct(linear[1], weights[1])
                    .addingProduct(linear[2], weights[2])
                let relative = scaled / whitePoint[row]
                return relative > 0.008856 ? cbrt(relative) : 7.787 * relative + 16.0 / 116.0
            }
            result[start] = 116.0 * xyz[1] - 16.0
            result[start + 1] = 500.0 * (xyz[0] - xyz[1])
            result[start + 2] = 200.0 * (xyz[1] - xyz[2])
        }
        return result
    }
}
