import GlassboxCore

/// Takes every `steps[i]`-th entry from `starts[i]` up to (not including) `ends[i]`
/// along each of `axes`, as ONNX `Slice` of a computed value with positive steps
/// (a Swin transformer's patch merging `x[..., 0::2, 1::2, :]`); the other axes are
/// kept whole. Along axis `axes[i]` the output has `⌈(ends[i] − starts[i]) / steps[i]⌉`
/// entries.
///
/// The axes are axes of the input counted with axis 0, each at least 1 (axis 0 holds
/// the rows, samples times a fixed per-sample multiple, which layers never slice)
/// and each named once. The caller clamps ONNX's starts and ends into range and
/// resolves negative values first: here `0 ≤ starts[i] < ends[i] ≤ extent` must hold
/// and every step is at least 1 (negative steps, reversing an axis, are not supported).
///
/// Along an axis with step 1 the forward pass is one `Backend.slice`; with step k > 1
/// it slices the covered range, pads it with zeros to a multiple of k, views the axis
/// as (count, k) and keeps index 0. The backward pass places the gradient back with
/// zeros elsewhere (`Backend.concat` with `Backend.filled`). LRP uses the gradient
/// here, which moves each output's relevance to the entry it copies, unchanged.
public struct StridedSlice: Layer, Hashable {
    public static let typeName = "strided-slice"
    /// The axes sliced (each ≥ 1, distinct).
    public var axes: [Int]
    /// The first index taken along each axis.
    public var starts: [Int]
    /// The end (exclusive) along each axis.
    public var ends: [Int]
    /// The step along each axis (≥ 1).
    public var steps: [Int]

    /// Slices `starts[i] ..< ends[i]` with step `steps[i]` (1 by default) along each of `axes`.
    public init(axes: [Int], starts: [Int], ends: [Int], steps: [Int]? = nil) {
        self.axes = axes
        self.starts = starts
        self.ends = ends
        self.steps = steps ?? Array(repeating: 1, count: axes.count)
    }

    /// The number of entries taken along axis number `i` of ``axes``.
    private func count(_ i: Int) -> Int { (ends[i] - starts[i] + steps[i] - 1) / steps[i] }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "strided slice")
        guard !axes.isEmpty, starts.count == axes.count, ends.count == axes.count, steps.count == axes.count else {
            throw GlassboxError.invalidModel(
                "strided slice needs one start, end and step per axis; got axes \(axes), starts \(starts), ends \(ends), steps \(steps)"
            )
        }
        guard Set(axes).count == axes.count else {
            throw GlassboxError.invalidModel("strided slice names an axis twice in \(axes)")
        }
        var dimensions = input.dimensions
        for (i, axis) in axes.enumerated() {
            guard axis >= 1, axis < input.rank else {
                throw GlassboxError.invalidModel(
                    "strided slice axis \(axis) must be an axis ≥ 1 of \(input) (axis 0 holds the rows, which are never sliced)"
                )
            }
            guard steps[i] >= 1 else {
                throw GlassboxError.invalidModel("strided slice step \(steps[i]) along axis \(axis) must be positive")
            }
            guard starts[i] >= 0, starts[i] < ends[i], ends[i] <= input[axis] else {
                throw GlassboxError.invalidModel(
                    "strided slice \(starts[i])..<\(ends[i]) along axis \(axis) of \(input) must be a non-empty range within 0..<\(input[axis])"
                )
            }
            dimensions[axis] = count(i)
        }
        return Shape(dimensions)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        _ = try outputShape(for: [inputs[0].shape])
        var x = inputs[0]
        for (i, axis) in axes.enumerated() {
            let (start, step, count) = (starts[i], steps[i], count(i))
            let extent = x.shape[axis]
            guard step > 1 else {
                if count != extent { x = try backend.slice(x, axis: axis, range: start..<(start + count)) }
                continue
            }
            // The covered range, padded with zeros to count·step entries.
            let covered = min(count * step, extent - start)
            var window = try backend.slice(x, axis: axis, range: start..<(start + covered))
            if covered < count * step {
                var padding = x.shape.dimensions
                padding[axis] = count * step - covered
                window = try backend.concat([window, try backend.filled(Shape(padding), value: 0)], axis: axis)
            }
            var split = x.shape.dimensions
            split.replaceSubrange(axis...axis, with: [count, step])
            var result = x.shape.dimensions
            result[axis] = count
            x = try backend.slice(try window.reshaped(Shape(split)), axis: axis + 1, range: 0..<1)
                .reshaped(Shape(result))
        }
        return LayerOutput(x)
    }

    /// The gradient placed back at the entries taken, zeros elsewhere, one axis at a time.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, input = step.inputs[0].shape
        // The shape before slicing axes[i] is the input's along axes[..<i], the output's elsewhere.
        var shape = step.gradient.shape.dimensions
        var g = step.gradient
        for (i, axis) in axes.enumerated().reversed() {
            let (start, stride, count) = (starts[i], steps[i], count(i))
            let extent = input[axis]
            /// Zeros of the current shape with `extent` entries along `axis`.
            func zeros(_ extent: Int) throws -> Tensor {
                var dimensions = shape
                dimensions[axis] = extent
                return try backend.filled(Shape(dimensions), value: 0)
            }
            var covered = count
            if stride > 1 {
                // Interleave: (count, 1) next to (count, stride − 1) zeros, viewed as count·stride entries.
                var single = shape, gap = shape
                single.replaceSubrange(axis...axis, with: [count, 1])
                gap.replaceSubrange(axis...axis, with: [count, stride - 1])
                let interleaved = try backend.concat(
                    [try g.reshaped(Shape(single)), try backend.filled(Shape(gap), value: 0)], axis: axis + 1)
                var spread = shape
                spread[axis] = count * stride
                g = try interleaved.reshaped(Shape(spread))
                covered = min(count * stride, extent - start)
                if covered < count * stride { g = try backend.slice(g, axis: axis, range: 0..<covered) }
            }
            var parts = [Tensor]()
            if start > 0 { parts.append(try zeros(start)) }
            parts.append(g)
            if start + covered < extent { parts.append(try zeros(extent - start - covered)) }
            if parts.count > 1 { g = try backend.concat(parts, axis: axis) }
            shape[axis] = extent
        }
        return LayerGradients(inputs: [g])
    }
}
