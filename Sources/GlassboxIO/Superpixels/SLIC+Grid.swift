import Foundation

extension SLIC {
    /// One axis of skimage's `regular_grid`: points at `start`, `start + step`, … (`slice(start,
    /// None, step)`; a `slice(None)` is start 0, step 1).
    struct GridAxis: Equatable {
        let start: Int
        let step: Int
    }

    /// skimage's `regular_grid(shape, count)` (`skimage/util/_regular_grid.py`): about `count`
    /// points spread over an array of `shape` as evenly as possible — steps of `(size / count)^(1/n)`,
    /// except that an axis too short for the step takes a step of its whole length and the others
    /// share what remains. Starts are half a step (floored), steps rounded half to even.
    static func regularGrid(shape: [Int], count: Int) -> [GridAxis] {
        let size = Double(shape.reduce(1, *))
        guard size > Double(count) else {
            return shape.map { _ in GridAxis(start: 0, step: 1) }
        }
        let dimensions = shape.count
        let order = shape.indices.sorted { (shape[$0], $0) < (shape[$1], $1) }  // np.argsort, stable
        let sorted = order.map { Double(shape[$0]) }
        var steps = [Double](repeating: pow(size / Double(count), 1.0 / Double(dimensions)), count: dimensions)
        if zip(sorted, steps).contains(where: { $0 < $1 }) {
            for axis in 0..<dimensions {
                steps[axis] = sorted[axis]
                let rest = sorted[(axis + 1)...].reduce(1, *)
                for later in (axis + 1)..<dimensions {
                    steps[later] = pow(rest / Double(count), 1.0 / Double(dimensions - axis - 1))
                }
                if zip(sorted, steps).allSatisfy({ $0 >= $1 }) { break }
            }
        }
        var axes = [GridAxis](repeating: GridAxis(start: 0, step: 1), count: dimensions)
        for (rank, axis) in order.enumerated() {
            axes[axis] = GridAxis(
                start: Int((steps[rank] / 2).rounded(.down)), step: Int(steps[rank].rounded(.toNearestOrEven)))
        }
        return axes
    }

    /// The seeds of SLIC for a `height`×`width` image asked for `count` segments
    /// (`_get_grid_centroids`): the points of `regularGrid` over the (1, height, width) volume, row
    /// by row, and the largest step of the three axes (the `step` of `_slic_cython`).
    static func gridSeeds(height: Int, width: Int, count: Int) -> (seeds: [(y: Int, x: Int)], step: Double) {
        let axes = regularGrid(shape: [1, height, width], count: count)
        var seeds = [(y: Int, x: Int)]()
        for y in stride(from: axes[1].start, to: height, by: axes[1].step) {
            for x in stride(from: axes[2].start, to: width, by: axes[2].step) {
                seeds.append((y, x))
            }
        }
        return (seeds, Double(axes.map(\.step).max()!))
    }
}
