// Shared helpers included first in the program.
#pragma OPENCL FP_CONTRACT OFF

// ---- Philox-4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as
// 1, 2, 3", SC 2011), a line-by-line port of Sources/GlassboxCore/Random/Philox.swift and
// DeterministicMath.swift, whose DocC is the specification. Every float operation below is
// one IEEE binary32 basic operation in the Swift order (no contraction: see the pragma; the
// program is built with -cl-fp32-correctly-rounded-divide-sqrt), so the draws are bit
// identical to the CPU's. Float constants are written as bit patterns.

// One Philox-4x32 S-box round: full 64-bit products of counter words 0 and 2.
inline uint4 philox_round(const uint4 c, const uint2 k) {
    const uint hi0 = mul_hi(0xD2511F53u, c.x), lo0 = 0xD2511F53u * c.x;
    const uint hi1 = mul_hi(0xCD9E8D57u, c.z), lo1 = 0xCD9E8D57u * c.z;
    return (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
}

// The Philox-4x32-10 bijection: ten rounds, the key bumped by the Weyl increments before
// every round but the first (Random123's philox4x32_R(10, ctr, key)).
inline uint4 philox_block(uint4 c, uint2 k) {
    c = philox_round(c, k);
    for (int r = 1; r < 10; ++r) {
        k += (uint2)(0x9E3779B9u, 0xBB67AE85u);
        c = philox_round(c, k);
    }
    return c;
}

// The block holding draws 4b … 4b + 3 of stream `stream` of `seed`, for the draw `draw`
// with b = draw / 4: counter (low32(b), high32(b), stream, 0), key (low32(seed), high32(seed)).
inline uint4 philox_block_containing(const ulong draw, const ulong seed, const uint stream) {
    const ulong b = draw >> 2;
    return philox_block((uint4)((uint)b, (uint)(b >> 32), stream, 0u), (uint2)((uint)seed, (uint)(seed >> 32)));
}

// A Philox word mapped to the open interval (0, 1): (float(bits >> 9) + 0.5) * 2^-23, exact.
inline float philox_uniform(const uint bits) {
    return ((float)(bits >> 9) + 0.5f) * as_float(0x34000000u);
}

// DeterministicMath.log: musl/FreeBSD logf with IEEE basic operations only.
inline float deterministic_log(const float x) {
    if (!(x > 0.0f && x < INFINITY)) {
        if (x == 0.0f) return -INFINITY;
        return x == INFINITY ? x : NAN;
    }
    int k = 0;
    uint bits = as_uint(x);
    if (x < as_float(0x00800000u)) {
        k = -25;
        bits = as_uint(x * as_float(0x4C000000u));
    }
    const uint ix = bits + (0x3F800000u - 0x3F3504F3u);
    k += (int)(ix >> 23) - 0x7F;
    const float m = as_float((ix & 0x007FFFFFu) + 0x3F3504F3u);

    const float lg1 = as_float(0x3F2AAAAAu);
    const float lg2 = as_float(0x3ECCCE13u);
    const float lg3 = as_float(0x3E91E9EEu);
    const float lg4 = as_float(0x3E789E26u);
    const float ln2Hi = as_float(0x3F317180u);
    const float ln2Lo = as_float(0x3717F7D1u);

    const float f = m - 1.0f;
    const float s = f / (2.0f + f);
    const float z = s * s;
    const float w = z * z;
    const float t1 = w * (lg2 + w * lg4);
    const float t2 = z * (lg1 + w * lg3);
    const float r = t2 + t1;
    const float hfsq = 0.5f * f * f;
    const float dk = (float)k;
    return s * (hfsq + r) + dk * ln2Lo - hfsq + f + dk * ln2Hi;
}

// DeterministicMath.sinCos(turns:): (sin 2πu, cos 2πu) for u in [0, 1), reduced in turns.
inline float2 deterministic_sincos_turns(const float u) {
    const float a = 4.0f * u;
    int q = (int)a;
    float t = a - (float)q;
    if (t > 0.5f) {
        t -= 1.0f;
        q += 1;
    }
    const float s1 = as_float(0x3FC90FDBu);
    const float s3 = as_float(0xBF255E12u);
    const float s5 = as_float(0x3DA34052u);
    const float s7 = as_float(0xBB998CC8u);
    const float c2 = as_float(0xBF9DE9E6u);
    const float c4 = as_float(0x3E81E0D8u);
    const float c6 = as_float(0xBCAAD95Bu);
    const float c8 = as_float(0x3A6A7BF7u);

    const float z = t * t;
    const float s = t * (s1 + z * (s3 + z * (s5 + z * s7)));
    const float c = 1.0f + z * (c2 + z * (c4 + z * (c6 + z * c8)));
    switch (q & 3) {
    case 0: return (float2)(s, c);
    case 1: return (float2)(c, -s);
    case 2: return (float2)(-s, -c);
    default: return (float2)(-c, s);
    }
}

// The Box–Muller pair of two words: (r cos 2πu1, r sin 2πu1), r = sqrt(-2 log u0).
inline float2 philox_box_muller(const uint w0, const uint w1) {
    const float u0 = philox_uniform(w0);
    const float u1 = philox_uniform(w1);
    const float r = sqrt(-2.0f * deterministic_log(u0));
    const float2 angle = deterministic_sincos_turns(u1);
    return (float2)(r * angle.y, r * angle.x);
}

// ---- Draw fills. A fill writes draws offset + i to elements i < count, one work item per
// Philox block: work item w holds the block of draws (offset & ~3) + 4w … + 3 (modulo 2^64),
// whose lane l is element philox_first_element(w, offset) + l (skipped when out of range).

// The element index of lane 0 of work item w's block (negative for lanes before draw offset).
inline int philox_first_element(const int w, const ulong offset) {
    return 4 * w - (int)(offset & 3);
}

// The four words of work item w's block.
inline uint4 philox_fill_block(const int w, const ulong seed, const uint stream, const ulong offset) {
    return philox_block_containing((offset & ~(ulong)3) + 4 * (ulong)w, seed, stream);
}

// The four uniforms of work item w's block, lane order.
inline float4 philox_fill_uniforms(const int w, const ulong seed, const uint stream, const ulong offset) {
    const uint4 x = philox_fill_block(w, seed, stream, offset);
    return (float4)(philox_uniform(x.x), philox_uniform(x.y), philox_uniform(x.z), philox_uniform(x.w));
}

// The four standard normals of work item w's block: Box–Muller of lanes (0, 1) and (2, 3).
inline float4 philox_fill_normals(const int w, const ulong seed, const uint stream, const ulong offset) {
    const uint4 x = philox_fill_block(w, seed, stream, offset);
    return (float4)(philox_box_muller(x.x, x.y), philox_box_muller(x.z, x.w));
}

// Normal draw `draw` of stream `stream` of `seed` on its own (a kernel that reads the draws
// out of order): lane draw mod 4 of its block, the Box–Muller pair of lanes (0, 1) or (2, 3),
// so it equals element draw - offset of a fill from offset.
inline float philox_normal(const ulong draw, const ulong seed, const uint stream) {
    const uint4 x = philox_block_containing(draw, seed, stream);
    const float2 pair = (draw & 2) ? philox_box_muller(x.z, x.w) : philox_box_muller(x.x, x.y);
    return (draw & 1) ? pair.y : pair.x;
}

// ---- ReLU backward modes (ReLUBackwardMode): 0 gradient g·[x>0]; 1 guided g·[x>0]·[g>0];
// 2 deconvnet max(g, 0). Used by kernel_relu_backward and by the kernels that fuse a ReLU's
// backward pass into the gradient they write.
inline float relu_gate(const float g, const float x, const int mode) {
    switch (mode) {
    case 0: return x > 0.0f ? g : 0.0f;
    case 1: return x > 0.0f && g > 0.0f ? g : 0.0f;
    default: return fmax(g, 0.0f);
    }
}

// ---- The window geometry every convolution and pooling kernel takes as its trailing
// parameters (Window2D+KernelArguments.swift passes them in this order), and the same
// names as arguments, for passing them on to helpers.
#define WINDOW_PARAMETERS const int height, const int width, const int outputHeight, const int outputWidth, \
    const int kernelHeight, const int kernelWidth, const int strideHeight, const int strideWidth, \
    const int padTop, const int padLeft, const int dilationHeight, const int dilationWidth
#define WINDOW_ARGUMENTS height, width, outputHeight, outputWidth, kernelHeight, kernelWidth, \
    strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth

// ---- Welford's update (as SampleStatistics on the CPU): the (mean, sum of squared deviations)
// of `before` samples, with `value` added as sample before + 1.
inline float2 welford_add(const float2 state, const float value, const int before) {
    const float weight = 1.0f / (float)(before + 1);
    const float delta = value - state.x;
    const float mean = state.x + delta * weight;
    return (float2)(mean, state.y + delta * (value - mean));
}
