// Random and batched-sampling kernels: Philox fills (one work item per Philox block, see the
// draw fills of common.cl), interpolation and occlusion batches and per-element Welford statistics.

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
