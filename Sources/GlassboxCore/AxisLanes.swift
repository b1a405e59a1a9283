/// The one-dimensional lanes of a tensor along one axis (for softmax-like operations).
public struct AxisLanes: Sendable {
    /// The number of lanes before the axis, the axis length, and the stride of the axis.
    public let outer: Int, extent: Int, inner: Int

    /// The lanes of `shape` along `axis` (negative counts from the end).
    public init(_ shape: Shape, axis: Int) throws {
        guard (-shape.rank..<shape.rank).contains(axis) else {
            throw GlassboxError.invalidArgument("axis \(axis) for shape \(shape)")
        }
        let axis = shape.normalized(axis: axis)
        outer = shape.dimensions[..<axis].reduce(1, *)
        extent = shape[axis]
        inner = shape.stride(of: axis)
    }

    /// Calls `body` with the element offsets of each lane.
    func forEachLane(_ body: (StrideTo<Int>) -> Void) {
        for o in 0..<outer {
            for i in 0..<inner {
                let start = o * extent * inner + i
                body(Swift.stride(from: start, to: start + extent * inner, by: inner))
            }
        }
    }
}
