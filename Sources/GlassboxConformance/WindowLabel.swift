import GlassboxCore

extension Window2D {
    /// The window as in case names: "k3 s2 p(1,0,2,1) d1", with "h×w" where the axes differ
    /// and padding in the order top, left, bottom, right.
    var label: String {
        func pair(_ height: Int, _ width: Int) -> String { height == width ? "\(height)" : "\(height)×\(width)" }
        return "k\(pair(kernelHeight, kernelWidth)) s\(pair(strideHeight, strideWidth)) "
            + "p(\(padTop),\(padLeft),\(padBottom),\(padRight)) d\(pair(dilationHeight, dilationWidth))"
    }

    /// The NCHW output shape of a window over an NCHW input with `channels` output channels.
    func outputShape(_ input: [Int], channels: Int) -> [Int] {
        let size = outputSize(inputHeight: input[2], inputWidth: input[3])
        return [input[0], channels, size.height, size.width]
    }
}
