// Random and batched-sampling kernels: Philox fills (one work item per Philox block, see the
// draw fills of common.cl), interpolation, occlusion and masked batches, packed rows, RISE masks and
// per-element Welford statistics.

// Stores the lanes of a block fill that fall inside 0 ..< count.
inline void philox_store(global float *output, const int first, const int count, const float4 values) {
    const float lanes[4] = {values.x, values.y, values.z, values.w};
    for (int lane = 0; lane < 4; ++lane) {
        const int index = first + lane;
        if (index >= 0 && index < count) output[index] = lanes[lane];
    }
}

// output[i] = uniform draw offset + i.
kernel void kernel_random_uniform(global float *output, const int count,
                                  const ulong seed, const uint stream, const ulong offset) {
    const int w = get_global_id(0);
    const int first = philox_first_element(w, offset);
    if (first >= count) return;
    philox_store(output, first, count, philox_fill_uniforms(w, seed, stream, offset));
}

// output[i] = mean + standardDeviation * (normal draw offset + i).
kernel void kernel_random_normal(global float *output, const int count, const float mean, const float standardDeviation,
                                 const ulong seed, const uint stream, const ulong offset) {
    const int w = get_global_id(0);
    const int first = philox_first_element(w, offset);
    if (first >= count) return;
    philox_store(output, first, count, mean + standardDeviation * philox_fill_normals(w, seed, stream, offset));
}

// output[i] = keep when uniform draw offset + i is >= probability, else 0.
kernel void kernel_dropout_mask(global float *output, const int count, const float probability, const float keep,
                                const ulong seed, const uint stream, const ulong offset) {
    const int w = get_global_id(0);
    const int first = philox_first_element(w, offset);
    if (first >= count) return;
    const float4 u = philox_fill_uniforms(w, seed, stream, offset);
    philox_store(output, first, count, select((float4)(0.0f), (float4)(keep), u >= (float4)(probability)));
}

// output[i] = input[i % size] + standardDeviation * (normal draw offset + i): sample n, element e
// of the (count / size, …) batch draws offset + n·size + e.
kernel void kernel_noisy_batch(global float *output, global const float *input, const int size, const int count,
                               const float standardDeviation, const ulong seed, const uint stream, const ulong offset) {
    const int w = get_global_id(0);
    const int first = philox_first_element(w, offset);
    if (first >= count) return;
    const float4 z = philox_fill_normals(w, seed, stream, offset);
    const float lanes[4] = {z.x, z.y, z.z, z.w};
    for (int lane = 0; lane < 4; ++lane) {
        const int index = first + lane;
        if (index >= 0 && index < count) output[index] = input[index % size] + standardDeviation * lanes[lane];
    }
}

// output[k·size + i] = baseline[i] + alphas[k] * (input[i] - baseline[i]).
kernel void kernel_interpolation_batch(global float *output, global const float *input, global const float *baseline,
                                       global const float *alphas, const int size, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int i = index % size;
    output[index] = baseline[i] + alphas[index / size] * (input[i] - baseline[i]);
}

// Occlusion batch (see OcclusionPlan): sample n is the input of `size` elements with the window of
// position number first + n set to baseline. Along sample axis a, position p has index
// k = (p / (n0·…·n(a-1))) mod n(a), n the per-axis counts (the first axis fastest, as Captum numbers
// them), and its window covers k·stride ..< k·stride + window (cut at the border, as no element lies past it).
kernel void kernel_occlusion_batch(global float *output, global const float *input, const int size, const int count,
                                   const float baseline, const int first, const int rank, const int8 dimensionVector,
                                   const int8 countVector, const int8 strideVector, const int8 windowVector) {
    const int index = get_global_id(0);
    if (index >= count) return;
    int dimensions[8], counts[8], strides[8], window[8];
    vstore8(dimensionVector, 0, dimensions);
    vstore8(countVector, 0, counts);
    vstore8(strideVector, 0, strides);
    vstore8(windowVector, 0, window);
    const int i = index % size;
    int element[8];
    for (int axis = rank - 1, rest = i; axis >= 0; --axis) {
        element[axis] = rest % dimensions[axis];
        rest /= dimensions[axis];
    }
    int position = first + index / size;
    bool inside = true;
    for (int axis = 0; axis < rank; ++axis) {
        const int start = position % counts[axis] * strides[axis];
        position /= counts[axis];
        inside = inside && element[axis] >= start && element[axis] < start + window[axis];
    }
    output[index] = inside ? baseline : input[i];
}

// Masked batch (PerturbationPlans.maskedBatchShape): sample s = n·rows + r of the batch holds the input's
// element e where the feature features[e] (an integral number below featureCount, else never switched
// off) is present in mask row n (nonzero), and fill row r's element e where it is absent.
kernel void kernel_masked_batch(global float *output, global const float *input, global const float *features,
                                global const float *fill, global const float *masks, const int size, const int rows,
                                const int featureCount, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int e = index % size, sample = index / size;
    const float f = features[e];
    const bool switchable = f >= 0.0f && f < (float)featureCount && f == floor(f);
    const bool absent = switchable && masks[sample / rows * featureCount + (int)f] == 0.0f;
    output[index] = absent ? fill[sample % rows * size + e] : input[e];
}

// Rows of `length` with the elements equal to `value` taken out, the others moved to the front in
// their order and the row filled up with `padding`: one work item per row.
kernel void kernel_pack_rows(global float *output, global const float *input, const int length, const int rows,
                             const float value, const float padding) {
    const int row = get_global_id(0);
    if (row >= rows) return;
    global const float *source = input + row * length;
    global float *target = output + row * length;
    int next = 0;
    for (int t = 0; t < length; ++t) {
        if (source[t] != value) target[next++] = source[t];
    }
    for (; next < length; ++next) target[next] = padding;
}

// RISEMaskPlan.tap: the bilinear tap of index `index` of an axis upsampled from `cells` to
// `upsampled` (scikit-image's resize, order 1, mode 'reflect'): the cells low and high, and the
// weight of high as the result, in the float32 operations of the Swift plan.
inline float rise_tap(const int index, const int cells, const int upsampled, int2 *taps) {
    const float last = (float)(cells - 1);
    float source = ((float)index + 0.5f) * (float)cells / (float)upsampled - 0.5f;
    if (source < 0.0f) source = -source;
    if (source > last) source = last - (source - last);
    source = source < 0.0f ? 0.0f : source;
    const float low = floor(source);
    *taps = (int2)((int)low, min((int)low + 1, cells - 1));
    return source - low;
}

// RISE masks (RISEMaskPlan): element (n, y, x) of the (count / (height·width), 1, height, width)
// masks, from mask n's cells·cells + 2 uniform draws at draws + n·(cells·cells + 2): the grid cells
// (1 below probability) row-major, then the row and the column shift.
kernel void kernel_rise_masks(global float *output, global const float *draws, const int height, const int width,
                              const int cells, const float probability, const int cellHeight, const int cellWidth,
                              const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int grid = cells * cells;
    const int x = index % width, y = index / width % height;
    global const float *u = draws + index / (width * height) * (grid + 2);
    int2 rows, columns;
    const float rowWeight =
        rise_tap(y + (int)floor(u[grid] * (float)cellHeight), cells, (cells + 1) * cellHeight, &rows);
    const float columnWeight =
        rise_tap(x + (int)floor(u[grid + 1] * (float)cellWidth), cells, (cells + 1) * cellWidth, &columns);
    const float v00 = u[rows.x * cells + columns.x] < probability ? 1.0f : 0.0f;
    const float v01 = u[rows.x * cells + columns.y] < probability ? 1.0f : 0.0f;
    const float v10 = u[rows.y * cells + columns.x] < probability ? 1.0f : 0.0f;
    const float v11 = u[rows.y * cells + columns.y] < probability ? 1.0f : 0.0f;
    const float top = v00 * (1.0f - columnWeight) + v01 * columnWeight;
    const float bottom = v10 * (1.0f - columnWeight) + v11 * columnWeight;
    output[index] = top * (1.0f - rowWeight) + bottom * rowWeight;
}

// Welford over axis 0 of a batch of `count` floats, `size` per sample, per element, samples
// in order (as the CPU).
kernel void kernel_sample_statistics(global float *mean, global float *deviations, global const float *batch,
                                     const int size, const int count) {
    const int i = get_global_id(0);
    if (i >= size) return;
    const int samples = count / size;
    float2 state = (float2)(0.0f);
    for (int n = 0; n < samples; ++n) state = welford_add(state, batch[n * size + i], n);
    mean[i] = state.x;
    deviations[i] = state.y;
}
