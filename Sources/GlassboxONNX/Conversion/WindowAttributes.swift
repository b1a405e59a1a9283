import GlassboxCore

/// The window of a 1-D or 2-D Conv or pooling node from its attributes (kernel_shape,
/// strides, dilations, pads as [top, left, bottom, right] or [begin, end], auto_pad,
/// ceil_mode) and its input's extents. A 1-D window (an N×C×T input) is the 2-D window
/// of height 1 over N×C×1×T.
enum WindowAttributes {
    static func window(of node: ONNXNode, kernel: [Int]? = nil, input: Shape) throws -> Window2D {
        guard input.rank == 3 || input.rank == 4 else {
            throw node.problem("supports 1-D (N×C×T) and 2-D (N×C×H×W) inputs only, got \(input)")
        }
        let axes = input.rank - 2
        guard let given = node.ints("kernel_shape") ?? kernel, given.count == axes else {
            throw node.problem("needs a \(axes)-D kernel_shape")
        }
        let givenStrides = node.ints("strides") ?? Array(repeating: 1, count: axes)
        let givenDilations = node.ints("dilations") ?? Array(repeating: 1, count: axes)
        let givenPads = node.ints("pads") ?? Array(repeating: 0, count: 2 * axes)
        guard givenStrides.count == axes, givenDilations.count == axes, givenPads.count == 2 * axes else {
            throw node.problem("has strides, dilations or pads of the wrong length for \(axes)-D")
        }
        // A 1-D window is the 2-D one of height 1: kernel, stride and dilation 1, no padding along H.
        let planar = axes == 1
        let kernelShape = planar ? [1] + given : given
        let strides = planar ? [1] + givenStrides : givenStrides
        let dilations = planar ? [1] + givenDilations : givenDilations
        var pads = planar ? [0, givenPads[0], 0, givenPads[1]] : givenPads
        let sizes = planar ? [1, input[2]] : [input[2], input[3]]
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
