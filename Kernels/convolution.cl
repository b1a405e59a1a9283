// ---- 2-D convolution through im2col / col2im around kernel_gemm, as in
// Sources/GlassboxCore/CPU/CPUBackend+Convolution.swift. The column matrices of a chunk
// of samples lie one after another, sample-major: the rows of sample n are
// (input channel, kernel row, kernel column) over all channels, so group g of sample n
// is the patchSize × outputPixels matrix at (n·groups + g)·patchSize·outputPixels.
// Every kernel takes the window geometry as its trailing parameters (WINDOW_PARAMETERS of
// common.cl, as the pooling kernels).

// The element of the chunk's input (plane · height · width + row · width + column, plane =
// sample · channels + channel) that column element e reads, or -1 where the window covers padding.
inline int im2col_source(const int e, WINDOW_PARAMETERS) {
    const int pixels = outputHeight * outputWidth;
    const int pixel = e % pixels;
    int rest = e / pixels;
    const int kj = rest % kernelWidth;
    rest /= kernelWidth;
    const int ki = rest % kernelHeight;
    const int plane = rest / kernelHeight;
    const int ih = pixel / outputWidth * strideHeight - padTop + ki * dilationHeight;
    const int iw = pixel % outputWidth * strideWidth - padLeft + kj * dilationWidth;
    const int inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
    return inside ? (plane * height + ih) * width + iw : -1;
}

// Unfolds the patches of the samples starting at x + xOffset: one work item per
// column element (zero where the window covers padding).
kernel void kernel_conv2d_im2col(global const float *x, const int xOffset, global float *columns, const int count,
                                 WINDOW_PARAMETERS) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const int source = im2col_source(e, WINDOW_ARGUMENTS);
    columns[e] = source >= 0 ? x[xOffset + source] : 0.0f;
}

// The entry of the chunk's column matrices through which kernel tap (ki, kj) reads input
// element e of the chunk (plane · height · width + row · width + column), or -1 when no
// output position reads e through that tap: the inverse of im2col_source.
inline int col2im_entry(const int e, const int ki, const int kj, WINDOW_PARAMETERS) {
    const int iw = e % width;
    const int ih = e / width % height;
    const int plane = e / width / height;
    const int th = ih + padTop - ki * dilationHeight;
    const int tw = iw + padLeft - kj * dilationWidth;
    if (th < 0 || th % strideHeight != 0 || th / strideHeight >= outputHeight) return -1;
    if (tw < 0 || tw % strideWidth != 0 || tw / strideWidth >= outputWidth) return -1;
    return ((plane * kernelHeight + ki) * kernelWidth + kj) * outputHeight * outputWidth
        + th / strideHeight * outputWidth + tw / strideWidth;
}

// The gradient at input element e of the chunk in gather form: the sum, in (kernel row,
// kernel column) order as the CPU's col2im, of the column entries that read it.
inline float col2im_sum(global const float *columns, const int e, WINDOW_PARAMETERS) {
    float sum = 0.0f;
    for (int ki = 0; ki < kernelHeight; ++ki) {
        for (int kj = 0; kj < kernelWidth; ++kj) {
            const int entry = col2im_entry(e, ki, kj, WINDOW_ARGUMENTS);
            if (entry >= 0) sum += columns[entry];
        }
    }
    return sum;
}

// Unfolds the patches of noisy copies of one sample x of `size` elements without storing the
// copies, in scatter form: one work item per element of the chunk's copies draws its noise once
// and writes it to every column entry that reads it (col2im_entry); the entries in the padding
// must have been zeroed before. The element of copy firstSample + n (n counted in the chunk) at i
// is x[i] + standardDeviation · (normal draw offset + (firstSample + n) · size + i), bit for bit
// the value kernel_noisy_batch stores (random.cl).
kernel void kernel_conv2d_im2col_noisy(global const float *x, const int size, const int firstSample,
                                       const float standardDeviation, global float *columns, const int count,
                                       WINDOW_PARAMETERS,
                                       const ulong seed, const uint stream, const ulong offset) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const int i = e % size;
    const ulong draw = offset + (ulong)(firstSample + e / size) * (ulong)size + (ulong)i;
    const float value = x[i] + standardDeviation * philox_normal(draw, seed, stream);
    for (int ki = 0; ki < kernelHeight; ++ki) {
        for (int kj = 0; kj < kernelWidth; ++kj) {
            const int entry = col2im_entry(e, ki, kj, WINDOW_ARGUMENTS);
            if (entry >= 0) columns[entry] = value;
        }
    }
}

// Folds column matrices back onto the input: one work item per input element of the chunk
// writes dx + dxOffset, no atomics. With gateMode >= 0 the gradient then passes the ReLU
// backward of relu_gate whose input is gate (at the same offset); with -1 gate is not read.
kernel void kernel_conv2d_col2im(global const float *columns, global float *dx, const int dxOffset, const int count,
                                 global const float *gate, const int gateMode,
                                 WINDOW_PARAMETERS) {
    const int e = get_global_id(0);
    if (e >= count) return;
    const float sum = col2im_sum(columns, e, WINDOW_ARGUMENTS);
    dx[dxOffset + e] = gateMode < 0 ? sum : relu_gate(sum, gate[dxOffset + e], gateMode);
}

// Folds the column matrices of `samples` samples and reduces them over the samples as they are
// made: one work item per element i of a sample of `size` continues Welford's update (welford_add
// of common.cl) from the `before` samples already in mean and deviations,
// on |gradient| when absolute is 1. The per-sample gradients are never stored.
kernel void kernel_conv2d_col2im_statistics(global const float *columns, global float *mean, global float *deviations,
                                            const int size, const int samples, const int before, const int absolute,
                                            WINDOW_PARAMETERS) {
    const int i = get_global_id(0);
    if (i >= size) return;
    float2 state = before > 0 ? (float2)(mean[i], deviations[i]) : (float2)(0.0f);
    for (int n = 0; n < samples; ++n) {
        const float sum = col2im_sum(columns, n * size + i, WINDOW_ARGUMENTS);
        state = welford_add(state, absolute ? fabs(sum) : sum, before + n);
    }
    mean[i] = state.x;
    deviations[i] = state.y;
}

// Adds bias[o] to every element of output channel o of an N × O × pixels tensor, in place.
kernel void kernel_conv2d_add_bias(global float *y, global const float *bias, const int count,
                                   const int channels, const int pixels) {
    const int e = get_global_id(0);
    if (e >= count) return;
    y[e] += bias[e / pixels % channels];
}
