// Pointwise nonlinearities and their backward passes. Activation codes:
// 0 ReLU, 1 LeakyReLU(slope), 2 sigmoid, 3 tanh.

kernel void kernel_activation(global const float *x, global float *output, const int kind, const float slope,
                              const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const float v = x[index];
    float result;
    switch (kind) {
    case 0: result = fmax(v, 0.0f); break;
    case 1: result = v > 0.0f ? v : slope * v; break;
    case 2: result = 1.0f / (1.0f + exp(-v)); break;
    default: result = tanh(v); break;
    }
    output[index] = result;
}

kernel void kernel_activation_backward(global const float *gradient, global const float *x, global const float *y,
                                       global float *output, const int kind, const float slope, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const float g = gradient[index];
    float result;
    switch (kind) {
    case 0: result = x[index] > 0.0f ? g : 0.0f; break;
    case 1: result = x[index] > 0.0f ? g : slope * g; break;
    case 2: result = g * y[index] * (1.0f - y[index]); break;
    default: result = g * (1.0f - y[index] * y[index]); break;
    }
    output[index] = result;
}

// The ReLU backward pass under a mode of relu_gate (common.cl).
kernel void kernel_relu_backward(global const float *gradient, global const float *x, global float *output,
                                 const int mode, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    output[index] = relu_gate(gradient[index], x[index], mode);
}
