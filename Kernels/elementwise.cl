// Elementwise kernels: fill, binary operations (equal shapes and NumPy
// broadcasting), unary operations, affine, axpy and the bias broadcast.

kernel void kernel_fill(global float *output, const float value, const int count) {
    const int index = get_global_id(0);
    if (index < count) output[index] = value;
}

// Operation codes of BinaryOperation, in declaration order.
float apply_binary(const int operation, const float a, const float b) {
    switch (operation) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return fmax(a, b);
    case 5: return fmin(a, b);
    case 6: return pow(a, b);
    case 7: return a == b ? 1.0f : 0.0f;
    default: return NAN;
    }
}

kernel void kernel_binary(global const float *a, global const float *b, global float *output,
                          const int operation, const int count) {
    const int index = get_global_id(0);
    if (index < count) output[index] = apply_binary(operation, a[index], b[index]);
}

// The offsets in two broadcast operands of output element `index`; strides are
// aligned to the output's axes and zero along broadcast axes.
int2 broadcast_offsets(int index, const int rank, const int8 outputStrides, const int8 leftStrides,
                       const int8 rightStrides) {
    const int output[8] = {outputStrides.s0, outputStrides.s1, outputStrides.s2, outputStrides.s3,
                           outputStrides.s4, outputStrides.s5, outputStrides.s6, outputStrides.s7};
    const int left[8] = {leftStrides.s0, leftStrides.s1, leftStrides.s2, leftStrides.s3,
                         leftStrides.s4, leftStrides.s5, leftStrides.s6, leftStrides.s7};
    const int right[8] = {rightStrides.s0, rightStrides.s1, rightStrides.s2, rightStrides.s3,
                          rightStrides.s4, rightStrides.s5, rightStrides.s6, rightStrides.s7};
    int2 offsets = (int2)(0, 0);
    for (int axis = 0; axis < rank; ++axis) {
        const int coordinate = index / output[axis];
        index -= coordinate * output[axis];
        offsets.x += coordinate * left[axis];
        offsets.y += coordinate * right[axis];
    }
    return offsets;
}

kernel void kernel_binary_broadcast(global const float *a, global const float *b, global float *output,
                                    const int operation, const int count, const int rank,
                                    const int8 outputStrides, const int8 leftStrides, const int8 rightStrides) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const int2 offsets = broadcast_offsets(index, rank, outputStrides, leftStrides, rightStrides);
    output[index] = apply_binary(operation, a[offsets.x], b[offsets.y]);
}

// A strided gather: output element i reads x at Σ coordinateₐ·sourceStridesₐ. With zero
// strides along broadcast axes it broadcasts; with permuted strides it transposes.
kernel void kernel_broadcast(global const float *x, global float *output, const int count, const int rank,
                             const int8 outputStrides, const int8 sourceStrides) {
    const int index = get_global_id(0);
    if (index >= count) return;
    output[index] = x[broadcast_offsets(index, rank, outputStrides, sourceStrides, (int8)(0)).x];
}

// Operation codes of UnaryOperation, in declaration order.
kernel void kernel_unary(global const float *x, global float *output, const int operation, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const float v = x[index];
    float result;
    switch (operation) {
    case 0: result = -v; break;
    case 1: result = fabs(v); break;
    case 2: result = v * v; break;
    case 3: result = sqrt(v); break;
    case 4: result = exp(v); break;
    case 5: result = log(v); break;
    case 6: result = 1.0f / v; break;
    case 7: result = v > 0.0f ? 1.0f : 0.0f; break;
    case 8: result = fmax(v, 0.0f); break;
    case 9: result = fmin(v, 0.0f); break;
    // OpenCL's sign() gives 0 for NaN; Glassbox keeps NaN.
    case 10: result = v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v == 0.0f ? 0.0f : v; break;
    default: result = NAN; break;
    }
    output[index] = result;
}

kernel void kernel_affine(global const float *x, global float *output, const float scale, const float shift,
                          const int count) {
    const int index = get_global_id(0);
    if (index < count) output[index] = scale * x[index] + shift;
}

kernel void kernel_axpy(global const float *x, global const float *y, global float *output, const float alpha,
                        const int count) {
    const int index = get_global_id(0);
    if (index < count) output[index] = alpha * x[index] + y[index];
}

// n / (d + ε·sign(d)) with sign(0) = +1, and 0 where that denominator is 0: LRP's stabilised quotient.
kernel void kernel_stabilized_divide(global const float *numerator, global const float *denominator,
                                     global float *output, const float epsilon, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const float d = denominator[index];
    const float stabilized = d + (d >= 0.0f ? epsilon : -epsilon);
    output[index] = stabilized == 0.0f ? 0.0f : numerator[index] / stabilized;
}

// x + bias[c] along axis 1, where `inner` is the stride of axis 1.
kernel void kernel_add_bias(global const float *x, global const float *bias, global float *output,
                            const int channels, const int inner, const int count) {
    const int index = get_global_id(0);
    if (index < count) output[index] = x[index] + bias[(index / inner) % channels];
}
