// Softmax and log-softmax along one axis: one work item per lane, where a lane
// is `extent` elements `inner` apart starting at o·extent·inner + i.

kernel void kernel_softmax(global const float *x, global float *y, const int outer, const int extent,
                           const int inner, const int logarithm) {
    const int lane = get_global_id(0);
    if (lane >= outer * inner) return;
    const int start = lane / inner * extent * inner + lane % inner;
    float largest = -INFINITY;
    for (int k = 0; k < extent; ++k) largest = fmax(largest, x[start + k * inner]);
    float total = 0.0f;
    for (int k = 0; k < extent; ++k) total += exp(x[start + k * inner] - largest);
    const float logTotal = log(total);
    for (int k = 0; k < extent; ++k) {
        const float shifted = x[start + k * inner] - largest;
        y[start + k * inner] = logarithm ? shifted - logTotal : exp(shifted) / total;
    }
}

// softmax: dx = y·(dy − Σ dy·y); log-softmax: dx = dy − exp(y)·Σ dy.
kernel void kernel_softmax_backward(global const float *dy, global const float *y, global float *dx,
                                    const int outer, const int extent, const int inner, const int logarithm) {
    const int lane = get_global_id(0);
    if (lane >= outer * inner) return;
    const int start = lane / inner * extent * inner + lane % inner;
    float total = 0.0f;
    for (int k = 0; k < extent; ++k) {
        const int at = start + k * inner;
        total += logarithm ? dy[at] : dy[at] * y[at];
    }
    for (int k = 0; k < extent; ++k) {
        const int at = start + k * inner;
        dx[at] = logarithm ? dy[at] - exp(y[at]) * total : y[at] * (dy[at] - total);
    }
}
