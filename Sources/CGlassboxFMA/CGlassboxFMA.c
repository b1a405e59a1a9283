// The 6×16 microkernel of Glassbox's packed matrix product (Goto & van de Geijn
// 2008; the BLIS microkernel of Van Zee & van de Geijn 2015) and the FMA peak
// loop. Each function carries its own instruction-set target, so the package
// needs no compiler flags; GlassboxFMAKernels calls them only where
// PackedGEMM.isSupported holds.
#include "CGlassboxFMA.h"

// Only the fused multiply-adds written as such fuse: `c += alpha * value` on a
// partial tile stays a rounded multiply and a rounded add, as in the Swift code
// this replaces (Swift never contracts), so results are bit for bit the same.
#pragma clang fp contract(off)

#if defined(__x86_64__) || defined(__i386__)
// AVX2 + FMA (Haswell and later, Zen): 16 ymm registers hold the 12 accumulators.
#define GB_TARGET __attribute__((target("avx2,fma")))
#else
// aarch64 has FMA in its base instruction set; elsewhere the same vector code
// is portable (the FMA may lower to a library call).
#define GB_TARGET
#endif
#define GB_INLINE static inline __attribute__((always_inline)) GB_TARGET

typedef float gb_v8 __attribute__((ext_vector_type(8)));

#if __has_builtin(__builtin_elementwise_fma)
#define GB_FMA(x, y, z) __builtin_elementwise_fma((x), (y), (z))
#else
GB_INLINE gb_v8 gb_fma_lanes(gb_v8 x, gb_v8 y, gb_v8 z) {
    gb_v8 r;
    for (int i = 0; i < 8; i++) r[i] = __builtin_fmaf(x[i], y[i], z[i]);
    return r;
}
#define GB_FMA(x, y, z) gb_fma_lanes((x), (y), (z))
#endif

GB_INLINE gb_v8 gb_load(const float *p) {
    gb_v8 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

GB_INLINE void gb_store(float *p, gb_v8 v) { __builtin_memcpy(p, &v, sizeof v); }

/// Adds alpha·(low, high) to one row of C: fused on a full tile, element by element
/// (unfused) on a partial one.
GB_INLINE void gb_update_row(float *c, ptrdiff_t columns, float alpha, gb_v8 low, gb_v8 high) {
    if (columns == GLASSBOX_FMA_NR) {
        gb_v8 scale = alpha;
        gb_store(c, GB_FMA(scale, low, gb_load(c)));
        gb_store(c + 8, GB_FMA(scale, high, gb_load(c + 8)));
    } else {
        for (ptrdiff_t j = 0; j < columns; j++) c[j] += alpha * (j < 8 ? low[j] : high[j - 8]);
    }
}

/// One 6×16 tile: row p of B at `b + offsets[p]` when `indirect` (a constant once
/// inlined), else at `b + p·16`.
GB_INLINE void gb_tile(ptrdiff_t depth, ptrdiff_t rows, ptrdiff_t columns, float alpha, const float *a,
                       const float *b, int indirect, const ptrdiff_t *offsets, float *c, ptrdiff_t ldc) {
    gb_v8 c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0;
    gb_v8 c30 = 0, c31 = 0, c40 = 0, c41 = 0, c50 = 0, c51 = 0;
    for (ptrdiff_t p = 0; p < depth; p++) {
        const float *bRow = indirect ? b + offsets[p] : b + p * GLASSBOX_FMA_NR;
        gb_v8 b0 = gb_load(bRow), b1 = gb_load(bRow + 8);
        const float *row = a + p * GLASSBOX_FMA_MR;
        gb_v8 s = row[0];
        c00 = GB_FMA(s, b0, c00); c01 = GB_FMA(s, b1, c01);
        s = row[1];
        c10 = GB_FMA(s, b0, c10); c11 = GB_FMA(s, b1, c11);
        s = row[2];
        c20 = GB_FMA(s, b0, c20); c21 = GB_FMA(s, b1, c21);
        s = row[3];
        c30 = GB_FMA(s, b0, c30); c31 = GB_FMA(s, b1, c31);
        s = row[4];
        c40 = GB_FMA(s, b0, c40); c41 = GB_FMA(s, b1, c41);
        s = row[5];
        c50 = GB_FMA(s, b0, c50); c51 = GB_FMA(s, b1, c51);
    }
    gb_update_row(c, columns, alpha, c00, c01);
    if (rows > 1) gb_update_row(c + ldc, columns, alpha, c10, c11);
    if (rows > 2) gb_update_row(c + 2 * ldc, columns, alpha, c20, c21);
    if (rows > 3) gb_update_row(c + 3 * ldc, columns, alpha, c30, c31);
    if (rows > 4) gb_update_row(c + 4 * ldc, columns, alpha, c40, c41);
    if (rows > 5) gb_update_row(c + 5 * ldc, columns, alpha, c50, c51);
}

GB_INLINE void gb_column_sliver(ptrdiff_t depth, ptrdiff_t rows, ptrdiff_t columns, float alpha, const float *a,
                                ptrdiff_t aSliverStride, const float *b, int indirect, const ptrdiff_t *offsets,
                                float *c, ptrdiff_t ldc) {
    for (ptrdiff_t ir = 0; ir < rows; ir += GLASSBOX_FMA_MR) {
        ptrdiff_t height = rows - ir < GLASSBOX_FMA_MR ? rows - ir : GLASSBOX_FMA_MR;
        gb_tile(depth, height, columns, alpha, a + ir / GLASSBOX_FMA_MR * aSliverStride, b, indirect, offsets,
                c + ir * ldc, ldc);
    }
}

GB_TARGET
void glassbox_fma_gemm_packed_b(ptrdiff_t depth, ptrdiff_t rows, ptrdiff_t columns, float alpha,
                                const float *a, ptrdiff_t aSliverStride, const float *b,
                                float *c, ptrdiff_t ldc) {
    gb_column_sliver(depth, rows, columns, alpha, a, aSliverStride, b, 0, (const ptrdiff_t *)0, c, ldc);
}

GB_TARGET
void glassbox_fma_gemm_offset_rows(ptrdiff_t depth, ptrdiff_t rows, ptrdiff_t columns, float alpha,
                                   const float *a, ptrdiff_t aSliverStride, const float *b,
                                   const ptrdiff_t *offsets, float *c, ptrdiff_t ldc) {
    gb_column_sliver(depth, rows, columns, alpha, a, aSliverStride, b, 1, offsets, c, ldc);
}

GB_TARGET
float glassbox_fma_peak_loop(ptrdiff_t iterations, float seed) {
    gb_v8 a = 0.999999f - seed * 1e-9f, b = 1e-7f;
    gb_v8 c0 = 1, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
    for (ptrdiff_t i = 0; i < iterations; i++) {
        c0 = GB_FMA(c0, a, b); c1 = GB_FMA(c1, a, b); c2 = GB_FMA(c2, a, b);
        c3 = GB_FMA(c3, a, b); c4 = GB_FMA(c4, a, b); c5 = GB_FMA(c5, a, b);
        c6 = GB_FMA(c6, a, b); c7 = GB_FMA(c7, a, b); c8 = GB_FMA(c8, a, b);
        c9 = GB_FMA(c9, a, b);
    }
    gb_v8 sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9;
    float total = 0;
    for (int i = 0; i < 8; i++) total += sum[i];
    return total;
}
