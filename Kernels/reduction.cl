// Reductions over any set of axes, block copies (concatenation and slicing),
// row gathers and row sums at float-valued indices (embeddings), and batch
// normalisation in inference form.

// One work item per output element. `dimensions` and `strides` describe the
// input; bit d of `reducedMask` marks axis d as reduced. Kind: 0 sum, 1 mean,
// 2 max. Sums are Kahan-compensated.
kernel void kernel_reduce(global const float *x, global float *output, const int kind, const int count,
                          const int rank, const int8 dimensionVector, const int8 strideVector,
                          const int reducedMask, const int reducedCount) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int dimensions[8] = {dimensionVector.s0, dimensionVector.s1, dimensionVector.s2, dimensionVector.s3,
                               dimensionVector.s4, dimensionVector.s5, dimensionVector.s6, dimensionVector.s7};
    const int strides[8] = {strideVector.s0, strideVector.s1, strideVector.s2, strideVector.s3,
                            strideVector.s4, strideVector.s5, strideVector.s6, strideVector.s7};
    int remainder = index, base = 0;
    for (int axis = rank - 1; axis >= 0; --axis) {
        if ((reducedMask >> axis) & 1) continue;
        base += remainder % dimensions[axis] * strides[axis];
        remainder /= dimensions[axis];
    }
    float sum = kind == 2 ? -INFINITY : 0.0f, compensation = 0.0f;
    for (int r = 0; r < reducedCount; ++r) {
        int rest = r, offset = base;
        for (int axis = rank - 1; axis >= 0; --axis) {
            if (!((reducedMask >> axis) & 1)) continue;
            offset += rest % dimensions[axis] * strides[axis];
            rest /= dimensions[axis];
        }
        const float value = x[offset];
        if (kind == 2) {
            sum = fmax(sum, value);
        } else {
            const float corrected = value - compensation;
            const float next = sum + corrected;
            compensation = (next - sum) - corrected;
            sum = next;
        }
    }
    output[index] = kind == 1 ? sum / (float)reducedCount : sum;
}

// dst[dstOffset + o·dstRow + i] = src[srcOffset + o·srcRow + i] for i < rowLength:
// concatenation copies each input into its columns, slicing copies a window out.
kernel void kernel_copy_rows(global const float *src, const int srcOffset, const int srcRow,
                             global float *dst, const int dstOffset, const int dstRow,
                             const int rowLength, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int o = index / rowLength, i = index % rowLength;
    dst[dstOffset + o * dstRow + i] = src[srcOffset + o * srcRow + i];
}

// Table rows at float-valued indices (an embedding lookup): output (p, d) is
// table[index_p, d], or 0 when index_p is not an integral value in 0 ..< rows.
kernel void kernel_gather_rows(global const float *table, global const float *indices, global float *output,
                               const int rows, const int width, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int p = index / width, d = index % width;
    const float id = indices[p];
    const bool valid = id >= 0.0f && id < 2147483648.0f && id == trunc(id) && (int)id < rows;
    output[index] = valid ? table[(int)id * width + d] : 0.0f;
}

// Row sums (an embedding's weight gradient): output (v, d) is the sum of values (p, d)
// over the positions p that order[starts[v] ..< starts[v + 1]] lists for row v, in
// index order (grouped on the host), Kahan-compensated as kernel_reduce sums.
kernel void kernel_scatter_add_rows(global const float *values, global const int *order, global const int *starts,
                                    global float *output, const int width, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int v = index / width, d = index % width;
    float sum = 0.0f, compensation = 0.0f;
    for (int k = starts[v]; k < starts[v + 1]; ++k) {
        const float corrected = values[order[k] * width + d] - compensation;
        const float next = sum + corrected;
        compensation = (next - sum) - corrected;
        sum = next;
    }
    output[index] = sum;
}

kernel void kernel_batch_norm(global const float *x, global const float *mean, global const float *variance,
                              global const float *scale, global const float *offset, global float *output,
                              const float epsilon, const int channels, const int inner, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int c = (index / inner) % channels;
    output[index] = scale[c] * (x[index] - mean[c]) / sqrt(variance[c] + epsilon) + offset[c];
}
