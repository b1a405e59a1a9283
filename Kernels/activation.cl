// Pointwise nonlinearities and their backward passes. Activation codes (ActivationKind,
// with its parameters as alpha and beta, 0 where it has none): 0 ReLU, 1 LeakyReLU(slope = alpha),
// 2 sigmoid, 3 tanh, 4 erf, 5 HardSigmoid(alpha, beta), 6 HardSwish, 7 exact GELU, 8 tanh GELU.

#define GELU_ROOT_HALF 0.70710678118654752f           // √½
#define GELU_ROOT_TWO_OVER_PI 0.79788456080286536f    // √(2/π)
#define GELU_INVERSE_ROOT_TWO_PI 0.39894228040143268f // 1/√(2π)
#define GELU_CUBIC 0.044715f                          // the tanh GELU's cubic coefficient
#define ERF_SLOPE 1.1283791670955126f                 // 2/√π, erf′(0)

// u = √(2/π)·(x + 0.044715·x³): the tanh GELU 0.5·x·(1 + tanh u) is computed as x·σ(2u),
// which keeps its digits for negative x.
float gelu_tanh_argument(const float x) { return GELU_ROOT_TWO_OVER_PI * (x + GELU_CUBIC * x * x * x); }

// max(0, min(1, v)) with NaN staying NaN.
float unit_clamp(const float v) { return v <= 0.0f ? 0.0f : v >= 1.0f ? 1.0f : v; }

kernel void kernel_activation(global const float *x, global float *output, const int kind, const float alpha,
                              const float beta, const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const float v = x[index];
    float result;
    switch (kind) {
    case 0: result = fmax(v, 0.0f); break;
    case 1: result = v > 0.0f ? v : alpha * v; break;
    case 2: result = 1.0f / (1.0f + exp(-v)); break;
    case 3: result = tanh(v); break;
    case 4: result = erf(v); break;
    case 5: result = unit_clamp(alpha * v + beta); break;
    case 6: result = v * unit_clamp(v / 6.0f + 0.5f); break;
    case 7: result = 0.5f * v * erfc(-v * GELU_ROOT_HALF); break;
    case 8: result = v / (1.0f + exp(-2.0f * gelu_tanh_argument(v))); break;
    default: result = NAN; break;
    }
    output[index] = result;
}

kernel void kernel_activation_backward(global const float *gradient, global const float *x, global const float *y,
                                       global float *output, const int kind, const float alpha, const float beta,
                                       const int count) {
    const int index = get_global_id(0);
    if (index >= count) return;
    const float g = gradient[index];
    const float v = x[index];
    float result;
    switch (kind) {
    case 0: result = v > 0.0f ? g : 0.0f; break;
    case 1: result = v > 0.0f ? g : alpha * g; break;
    case 2: result = g * y[index] * (1.0f - y[index]); break;
    case 3: result = g * (1.0f - y[index] * y[index]); break;
    case 4: result = g * ERF_SLOPE * exp(-v * v); break;
    case 5: {
        const float z = alpha * v + beta;
        result = z > 0.0f && z < 1.0f ? alpha * g : 0.0f;
        break;
    }
    // PyTorch's hardswish_backward: 0 below −3, x/3 + 1/2 on [−3, 3], 1 above.
    case 6: result = v < -3.0f ? 0.0f : v <= 3.0f ? g * (v / 3.0f + 0.5f) : g; break;
    // Φ(x) + x·φ(x).
    case 7: result = g * (0.5f * erfc(-v * GELU_ROOT_HALF) + v * GELU_INVERSE_ROOT_TWO_PI * exp(-0.5f * v * v));
        break;
    // With s = σ(2u): s + 2·x·s·(1 − s)·u′(x), the second term 0 where s·(1 − s) underflows.
    case 8: {
        const float u = gelu_tanh_argument(v);
        const float s = 1.0f / (1.0f + exp(-2.0f * u));
        const float spread = s / (1.0f + exp(2.0f * u));
        const float slope =
            spread == 0.0f ? 0.0f : 2.0f * v * spread * GELU_ROOT_TWO_OVER_PI * (1.0f + 3.0f * GELU_CUBIC * v * v);
        result = g * (s + slope);
        break;
    }
    default: result = NAN; break;
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
