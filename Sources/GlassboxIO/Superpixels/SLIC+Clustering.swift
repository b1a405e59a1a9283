extension SLIC {
    /// The k-means of skimage's `_slic_cython` on a 2-D image (depth 1, unit spacing, no mask, not
    /// SLIC-zero), in float64 and in skimage's order of operations: the label (index of the nearest
    /// centre) of each pixel.
    ///
    /// `features` are `channels` colour values per pixel, already divided by the compactness. The
    /// centres start at `seeds` with colour 0 (so the first assignment is by space alone). Each
    /// round visits the centres in order and, in a window of ±2 grid steps around each, gives a
    /// pixel to the centre if `((dz² + dy²) + dx²) / step² + colour²` is strictly below its best so
    /// far; then every centre moves to the mean position and colour of its pixels. skimage checks
    /// whether any pixel was assigned, which is always so, hence exactly ``iterations`` rounds. A
    /// centre that lost all its pixels becomes NaN (0 / 0), and skimage's windows for it are empty
    /// (NaN converted to an index is `INT64_MIN` on x86-64), so it is skipped from then on.
    static func cluster(
        features: [Double], channels: Int, height: Int, width: Int, seeds: [(y: Int, x: Int)], step: Double
    ) -> [Int] {
        let stride = 3 + channels  // z, y, x, colour…
        var centres = [Double](repeating: 0, count: seeds.count * stride)
        for (index, seed) in seeds.enumerated() {
            centres[index * stride + 1] = Double(seed.y)
            centres[index * stride + 2] = Double(seed.x)
        }
        // `_slic_cython` recomputes the window steps from the number of centres.
        let axes = regularGrid(shape: [1, height, width], count: seeds.count)
        let windowY = Double(2 * axes[1].step), windowX = Double(2 * axes[2].step)
        let stepSquared = Float(step) * Float(step)  // `step` is a float32 argument
        let spatialWeight = 1.0 / Double(stepSquared)
        var labels = [Int](repeating: -1, count: height * width)
        for _ in 0..<iterations {
            var distances = [Double](repeating: .greatestFiniteMagnitude, count: height * width)
            var changed = false
            for centre in 0..<seeds.count {
                let base = centre * stride
                let cz = centres[base], cy = centres[base + 1], cx = centres[base + 2]
                guard !cz.isNaN, !cy.isNaN, !cx.isNaN else { continue }
                let dz = cz * cz  // the only depth is z = 0
                let rows = Self.window(centre: cy, reach: windowY, limit: height)
                let columns = Self.window(centre: cx, reach: windowX, limit: width)
                for y in rows {
                    let dy = (cy - Double(y)) * (cy - Double(y))
                    for x in columns {
                        let dx = (cx - Double(x)) * (cx - Double(x))
                        var distance = (dz + dy + dx) * spatialWeight
                        var colour = 0.0
                        let pixel = (y * width + x) * channels
                        for channel in 0..<channels {
                            let difference = features[pixel + channel] - centres[base + 3 + channel]
                            colour += difference * difference
                        }
                        distance += colour
                        if distances[y * width + x] > distance {
                            labels[y * width + x] = centre
                            distances[y * width + x] = distance
                            changed = true
                        }
                    }
                }
            }
            guard changed else { break }
            centres = Self.means(
                of: features, channels: channels, labels: labels, width: width, count: seeds.count)
        }
        return labels
    }

    /// `_slic_cython`'s window along one axis: from `centre - reach` to `centre + reach + 1`,
    /// clamped to `0...limit` and truncated to integers (as C converts a double to `Py_ssize_t`).
    static func window(centre: Double, reach: Double, limit: Int) -> Range<Int> {
        let low = max(centre - reach, 0), high = min(centre + reach + 1, Double(limit))
        return Int(low)..<max(Int(low), Int(high))
    }

    /// The centres after a round: the mean (z, y, x, colour…) of each label's pixels, summed in
    /// row-major order and divided by the count; NaN for a label without pixels.
    static func means(of features: [Double], channels: Int, labels: [Int], width: Int, count: Int) -> [Double] {
        let stride = 3 + channels
        var sums = [Double](repeating: 0, count: count * stride)
        var sizes = [Int](repeating: 0, count: count)
        for (pixel, label) in labels.enumerated() where label >= 0 {
            let base = label * stride
            sizes[label] += 1
            sums[base + 1] += Double(pixel / width)
            sums[base + 2] += Double(pixel % width)
            for channel in 0..<channels {
                sums[base + 3 + channel] += features[pixel * channels + channel]
            }
        }
        return sums.indices.map { sums[$0] / Double(sizes[$0 / stride]) }
    }
}
