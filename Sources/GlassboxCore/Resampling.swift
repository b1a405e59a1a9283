/// How a stack of 2-D planes is resized on the host, with the sampling
/// positions of PyTorch's `F.interpolate` (`align_corners=False`, no
/// antialiasing), so maps upsampled here equal Captum's and
/// pytorch-grad-cam's.
public enum Resampling: String, Sendable, Codable, CaseIterable {
    /// Output pixel d reads input pixel ⌊d·in/out⌋ (PyTorch's `"nearest"`).
    case nearest
    /// Linear in each axis between the two input pixels around the half-pixel
    /// position (d + ½)·in/out − ½, clamped at the edges (PyTorch's `"bilinear"`).
    case bilinear
    /// Linear in each axis with the corners of input and output aligned: output pixel d reads
    /// position d·(in − 1)/(out − 1) (PyTorch's `align_corners=True`, `nn.UpsamplingBilinear2d`,
    /// which pytorch-grad-cam's `ScoreCAM` upsamples activations with).
    case bilinearAlignedCorners = "bilinear-aligned"

    /// `values`, `planes` planes of `height`×`width` in row-major order, resized to
    /// `newHeight`×`newWidth` each.
    public func resize(_ values: [Float], planes: Int, height: Int, width: Int, newHeight: Int, newWidth: Int)
        -> [Float]
    {
        precondition(
            values.count == planes * height * width && height > 0 && width > 0 && newHeight > 0 && newWidth > 0,
            "resampling \(values.count) values as \(planes)×\(height)×\(width)")
        let rows = taps(from: height, to: newHeight), columns = taps(from: width, to: newWidth)
        var result = [Float](repeating: 0, count: planes * newHeight * newWidth)
        for plane in 0..<planes {
            let source = plane * height * width, target = plane * newHeight * newWidth
            for (y, row) in rows.enumerated() {
                for (x, column) in columns.enumerated() {
                    func at(_ r: Int, _ c: Int) -> Float { values[source + r * width + c] }
                    let top = (1 - column.weight) * at(row.low, column.low) + column.weight * at(row.low, column.high)
                    let bottom =
                        (1 - column.weight) * at(row.high, column.low) + column.weight * at(row.high, column.high)
                    result[target + y * newWidth + x] = (1 - row.weight) * top + row.weight * bottom
                }
            }
        }
        return result
    }

    /// The two input indices each output index reads along one axis, and the weight of the second.
    func taps(from size: Int, to newSize: Int) -> [(low: Int, high: Int, weight: Float)] {
        let scale = Float(size) / Float(newSize)
        return (0..<newSize).map { index in
            switch self {
            case .nearest:
                let source = min(Int((Float(index) * scale).rounded(.down)), size - 1)
                return (source, source, 0)
            case .bilinear:
                let position = max(scale * (Float(index) + 0.5) - 0.5, 0)
                let low = min(Int(position), size - 1)
                return (low, min(low + 1, size - 1), position - Float(low))
            case .bilinearAlignedCorners:
                let position = newSize > 1 ? Float(index) * Float(size - 1) / Float(newSize - 1) : 0
                let low = min(Int(position), size - 1)
                return (low, min(low + 1, size - 1), position - Float(low))
            }
        }
    }
}
