/// col2im, the adjoint of unfolding a convolution's input patches.
extension ConvolutionPlan {
    /// Adds a row-major patchSize × outputPixels matrix (rows: input channel of the
    /// group, kernel row, kernel column; columns: output pixels) back onto the input
    /// positions of one sample and group it came from.
    func col2im(_ columns: UnsafePointer<Float>, sample: Int, group: Int, into input: UnsafeMutablePointer<Float>) {
        let taps = window.kernelHeight * window.kernelWidth
        for row in 0..<patchSize {
            let c = row / taps, ki = (row % taps) / window.kernelWidth, kj = row % window.kernelWidth
            let plane = input + (sample * inputChannels + group * channelsPerGroup + c) * height * width
            for oh in 0..<outputHeight {
                let ih = oh * window.strideHeight + ki * window.dilationHeight - window.padTop
                guard ih >= 0 && ih < height else { continue }
                let source = columns + row * outputPixels + oh * outputWidth, target = plane + ih * width
                for ow in 0..<outputWidth {
                    let iw = ow * window.strideWidth + kj * window.dilationWidth - window.padLeft
                    if iw >= 0 && iw < width { target[iw] += source[ow] }
                }
            }
        }
    }
}
