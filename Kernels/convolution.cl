// ---- 2-D convolution through im2col / col2im around kernel_gemm, as in
// Sources/GlassboxCore/CPU/CPUBackend+Convolution.swift. The column matrices of a chunk
// of samples lie one after another, sample-major: the rows of sample n are
// (input channel, kernel row, kernel column) over all channels, so group g of sample n
// is the patchSize × outputPixels matrix at (n·groups + g)·patchSize·outputPixels.
// Every kernel takes the window geometry as the trailing arguments
//   height, width, outputHeight, outputWidth, kernelHeight, kernelWidth,
//   strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth
// (the same list as the pooling kernels).

// Unfolds the patches of the samples starting at x + xOffset: one work item per
// column element (zero where the window covers padding).
kernel void kernel_conv2d_im2col(global const float *x, const int xOffset, global float *columns, const int count,
                                 const int height, const int width,
                                 const int outputHeight, const int outputWidth,
                                 const int kernelHeight, const int kernelWidth,
                                 const int strideHeight, const int strideWidth, const int padTop, const int padLeft,
                                 const int dilationHeight, const int dilationWidth) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const int pixels = outputHeight * outputWidth;
    const int pixel = e % pixels;
    int rest = e / pixels;
    const int kj = rest % kernelWidth;
    rest /= kernelWidth;
    const int ki = rest % kernelHeight;
    const int plane = rest / kernelHeight;  // sample · channels + channel
    const int ih = pixel / outputWidth * strideHeight - padTop + ki * dilationHeight;
    const int iw = pixel % outputWidth * strideWidth - padLeft + kj * dilationWidth;
    const int inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
    columns[e] = inside ? x[xOffset + (plane * height + ih) * width + iw] : 0.0f;
}

// Folds column matrices back onto the input in gather form: one work item per input
// element of the chunk sums, in (kernel row, kernel column) order as the CPU's col2im
// does, the column entries that read it; writes dx + dxOffset, no atomics.
kernel void kernel_conv2d_col2im(global const float *columns, global float *dx, const int dxOffset, const int count,
                                 const int height, const int width,
                                 const int outputHeight, const int outputWidth,
                                 const int kernelHeight, const int kernelWidth,
                                 const int strideHeight, const int strideWidth, const int padTop, const int padLeft,
                                 const int dilationHeight, const int dilationWidth) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const int iw = e % width;
    const int ih = e / width % height;
    const int plane = e / width / height;
    const int pixels = outputHeight * outputWidth;
    float sum = 0.0f;
    for (int ki = 0; ki < kernelHeight; ++ki) {
        const int th = ih + padTop - ki * dilationHeight;
        if (th < 0 || th % strideHeight != 0 || th / strideHeight >= outputHeight) continue;
        for (int kj = 0; kj < kernelWidth; ++kj) {
            const int tw = iw + padLeft - kj * dilationWidth;
            if (tw < 0 || tw % strideWidth != 0 || tw / strideWidth >= outputWidth) continue;
            sum += columns[((plane * kernelHeight + ki) * kernelWidth + kj) * pixels
                           + th / strideHeight * outputWidth + tw / strideWidth];
        }
    }
    dx[dxOffset + e] = sum;
}

// Adds bias[o] to every element of output channel o of an N × O × pixels tensor, in place.
kernel void kernel_conv2d_add_bias(global float *y, global const float *bias, const int count,
                                   const int channels, const int pixels) {
    const int e = get_global_id(0);
    if (e >= count) return;
    y[e] += bias[e / pixels % channels];
}
