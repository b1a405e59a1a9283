// ---- 2-D max and average pooling (NCHW), as in Sources/GlassboxCore/CPU/CPUBackend+Pooling.swift.
// `mode` is 0 for max, 1 for average over the taps inside the input, 2 for average
// counting padded taps in the divisor. Every kernel takes the window geometry as the
// trailing arguments
//   height, width, outputHeight, outputWidth, kernelHeight, kernelWidth,
//   strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth.

#define POOL_MAX 0
#define POOL_AVERAGE_INCLUDING_PADDING 2

// The offset in x of the first maximal input of window (oh, ow) of `plane`, scanning
// the window row-major and replacing the winner only on a strictly greater value;
// padded taps never win. −1 when the window lies entirely in padding.
inline int pool_first_maximum(global const float *x, const int plane, const int oh, const int ow,
                              const int height, const int width, const int kernelHeight, const int kernelWidth,
                              const int strideHeight, const int strideWidth, const int padTop, const int padLeft,
                              const int dilationHeight, const int dilationWidth) {
    int winner = -1;
    for (int ki = 0; ki < kernelHeight; ++ki) {
        const int ih = oh * strideHeight - padTop + ki * dilationHeight;
        if (ih < 0 || ih >= height) continue;
        for (int kj = 0; kj < kernelWidth; ++kj) {
            const int iw = ow * strideWidth - padLeft + kj * dilationWidth;
            if (iw < 0 || iw >= width) continue;
            const int tap = (plane * height + ih) * width + iw;
            if (winner < 0 || x[tap] > x[winner]) winner = tap;
        }
    }
    return winner;
}

// The number of taps of window (oh, ow) inside the input.
inline int pool_inside_count(const int oh, const int ow, const int height, const int width,
                             const int kernelHeight, const int kernelWidth,
                             const int strideHeight, const int strideWidth, const int padTop, const int padLeft,
                             const int dilationHeight, const int dilationWidth) {
    int rows = 0, columns = 0;
    for (int ki = 0; ki < kernelHeight; ++ki) {
        const int ih = oh * strideHeight - padTop + ki * dilationHeight;
        rows += ih >= 0 && ih < height;
    }
    for (int kj = 0; kj < kernelWidth; ++kj) {
        const int iw = ow * strideWidth - padLeft + kj * dilationWidth;
        columns += iw >= 0 && iw < width;
    }
    return rows * columns;
}

// One work item per output element: the maximum (0 for an all-padding window) or the
// average of its window, summed in row-major window order.
kernel void kernel_pool2d(global const float *x, global float *y, const int count, const int mode,
                          WINDOW_PARAMETERS) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const int ow = e % outputWidth;
    const int oh = e / outputWidth % outputHeight;
    const int plane = e / outputWidth / outputHeight;
    if (mode == POOL_MAX) {
        const int winner = pool_first_maximum(x, plane, oh, ow, height, width, kernelHeight, kernelWidth,
                                              strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth);
        y[e] = winner < 0 ? 0.0f : x[winner];
        return;
    }
    float sum = 0.0f;
    int inside = 0;
    for (int ki = 0; ki < kernelHeight; ++ki) {
        const int ih = oh * strideHeight - padTop + ki * dilationHeight;
        if (ih < 0 || ih >= height) continue;
        for (int kj = 0; kj < kernelWidth; ++kj) {
            const int iw = ow * strideWidth - padLeft + kj * dilationWidth;
            if (iw < 0 || iw >= width) continue;
            sum += x[(plane * height + ih) * width + iw];
            inside += 1;
        }
    }
    const int divisor = mode == POOL_AVERAGE_INCLUDING_PADDING ? kernelHeight * kernelWidth : inside;
    y[e] = divisor == 0 ? 0.0f : sum / (float)divisor;
}

// The gradient in gather form: one work item per input element sums, in row-major
// output order, the gradients of the windows that contain it (for max, only those
// whose first maximal input it is; for average, each divided by its window's divisor).
// With gateMode >= 0 the gradient then passes the ReLU backward of relu_gate (common.cl)
// whose input is gate; with -1 gate is not read.
kernel void kernel_pool2d_backward(global const float *dy, global const float *x, global float *dx,
                                   const int count, const int mode, global const float *gate, const int gateMode,
                                   WINDOW_PARAMETERS) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const int iw = e % width;
    const int ih = e / width % height;
    const int plane = e / width / height;
    float sum = 0.0f;
    // Descending kernel offsets visit the windows in ascending output order.
    for (int ki = kernelHeight - 1; ki >= 0; --ki) {
        const int th = ih + padTop - ki * dilationHeight;
        if (th < 0 || th % strideHeight != 0 || th / strideHeight >= outputHeight) continue;
        const int oh = th / strideHeight;
        for (int kj = kernelWidth - 1; kj >= 0; --kj) {
            const int tw = iw + padLeft - kj * dilationWidth;
            if (tw < 0 || tw % strideWidth != 0 || tw / strideWidth >= outputWidth) continue;
            const int ow = tw / strideWidth;
            const float gradient = dy[(plane * outputHeight + oh) * outputWidth + ow];
            if (mode == POOL_MAX) {
                const int winner = pool_first_maximum(x, plane, oh, ow, height, width, kernelHeight, kernelWidth,
                                                      strideHeight, strideWidth, padTop, padLeft,
                                                      dilationHeight, dilationWidth);
                if (winner == e) sum += gradient;
            } else {
                const int divisor = mode == POOL_AVERAGE_INCLUDING_PADDING
                    ? kernelHeight * kernelWidth
                    : pool_inside_count(oh, ow, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                                        padTop, padLeft, dilationHeight, dilationWidth);
                sum += gradient / (float)divisor;
            }
        }
    }
    dx[e] = gateMode < 0 ? sum : relu_gate(sum, gate[e], gateMode);
}
