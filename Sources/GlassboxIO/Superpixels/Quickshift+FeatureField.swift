import Foundation

extension Quickshift {
    /// An image as quick shift sees it — each pixel a point in (colour…, row, column) — with the
    /// square window of ±`reach` rows and columns (`kernel_width` of skimage's `_quickshift_cython`)
    /// in which densities and parents are sought.
    struct FeatureField {
        /// `channels` values per pixel, row by row.
        let features: [Double]
        let channels: Int
        let height: Int
        let width: Int
        let reach: Int

        /// The pixels of the window around `pixel` (a row-major index), row by row.
        func window(around pixel: Int) -> (rows: Range<Int>, columns: Range<Int>) {
            let (row, column) = (pixel / width, pixel % width)
            return (
                max(row - reach, 0)..<min(row + reach + 1, height),
                max(column - reach, 0)..<min(column + reach + 1, width)
            )
        }

        /// The squared distance between pixels `pixel` and `other` in (colour…, row, column),
        /// summed in skimage's order: the colour channels, then the row, then the column.
        func squaredDistance(_ pixel: Int, _ other: Int) -> Double {
            var distance = 0.0
            for channel in 0..<channels {
                let difference = features[pixel * channels + channel] - features[other * channels + channel]
                distance += difference * difference
            }
            let rows = Double(pixel / width - other / width), columns = Double(pixel % width - other % width)
            distance += rows * rows
            distance += columns * columns
            return distance
        }

        /// Each pixel's density: `exp(-0.5 / kernelSize² · d²)` summed over its window in row-major
        /// order (without skimage's tie-breaking noise).
        func densities(kernelSize: Double) -> [Double] {
            let scale = -0.5 / (kernelSize * kernelSize)
            return (0..<(height * width)).map { pixel in
                let (rows, columns) = window(around: pixel)
                var density = 0.0
                for row in rows {
                    for column in columns {
                        density += exp(squaredDistance(pixel, row * width + column) * scale)
                    }
                }
                return density
            }
        }

        /// Each pixel's parent: the nearest pixel of its window (the first in row-major order among
        /// equally near ones) that is higher — denser, or as dense and later in row-major order —
        /// if it lies within `maximumDistance`; otherwise the pixel itself.
        func parents(densities: [Double], maximumDistance: Double) -> [Int] {
            (0..<(height * width)).map { pixel in
                let (rows, columns) = window(around: pixel)
                var parent = pixel, closest = Double.greatestFiniteMagnitude
                for row in rows {
                    for column in columns {
                        let other = row * width + column
                        guard
                            densities[other] > densities[pixel]
                                || (densities[other] == densities[pixel] && other > pixel)
                        else { continue }
                        let distance = squaredDistance(pixel, other)
                        if distance < closest {
                            closest = distance
                            parent = other
                        }
                    }
                }
                return sqrt(closest) > maximumDistance ? pixel : parent
            }
        }
    }
}
