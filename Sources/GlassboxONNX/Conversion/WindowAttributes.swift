import GlassboxCore

/// The window of a 2-D Conv or pooling node from its attributes (kernel_shape,
/// strides, dilations, pads as [top, left, bottom, right], auto_pad, ceil_mode)
/// and its input's height and width.
enum WindowAttributes {
    static func window(of node: ONNXNode, kernel: (Int, Int)? = nil, input: Shape) throws -> Window2D {
        guard input.rank == 4 else { throw node.problem("supports 2-D (N×C×H×W) inputs only, got \(input)") }
        let kernelShape = node.ints("kernel_shape") ?? kernel.map { [$0.0, $0.1] }
        guard let kernelShape, kernelShape.count == 2 else { throw node.problem("needs a 2-D kernel_shape") }
        let strides = node.ints("strides") ?? [1, 1]
        let dilations = node.ints("dilations") ?? [1, 1]
        var pads = node.ints("pads") ?? [0, 0, 0, 0]
        guard strides.count == 2, dilations.count == 2, pads.count == 4 else {
            throw node.problem("has strides, dilations or pads of the wrong length for 2-D")
        }
        let sizes = [input[2], input[3]]
        switch node.string("auto_pad", default: "NOTSET") {
        case "NOTSET": break
        case "VALID": pads = [0, 0, 0, 0]
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            for axis in 0..<2 {
                let output = (sizes[axis] + strides[axis] - 1) / strides[axis]
                let total = max(
                    0, (output - 1) * strides[axis] + (kernelShape[axis] - 1) * dilations[axis] + 1 - sizes[axis])
                let before = mode == "SAME_UPPER" ? total / 2 : total - total / 2
                pads[axis] = before
                pads[axis + 2] = total - before
            }
        case let mode: throw node.problem("has an unknown auto_pad '\(mode)'")
        }
        if try node.int("ceil_mode", default: 0) == 1 {
            for axis in 0..<2 {
                let span = sizes[axis] + pads[axis] + pads[axis + 2] - (kernelShape[axis] - 1) * dilations[axis] - 1
                var output = (span + strides[axis] - 1) / strides[axis] + 1
                // A last window starting beyond the input and its leading padding is dropped (as PyTorch and onnxruntime do).
                if (output - 1) * strides[axis] >= sizes[axis] + pads[axis] { output -= 1 }
                pads[axis + 2] += max(0, (output - 1) * strides[axis] - span)
            }
        }
        return Window2D(
            kernelHeight: kernelShape[0], kernelWidth: kernelShape[1], strideHeight: strides[0],
            strideWidth: strides[1],
            padTop: pads[0], padLeft: pads[1], padBottom: pads[2], padRight: pads[3],
            dilationHeight: dilations[0], dilationWidth: dilations[1])
    }
}
