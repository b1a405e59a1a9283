#ifndef CGLASSBOX_FMA_H
#define CGLASSBOX_FMA_H

// The register-blocked microkernel of Glassbox's packed matrix product and the
// FMA peak loop, the only code of the CPU backend written in C: each function
// carries its own instruction-set target (AVX2 + FMA on x86-64), so the package
// needs no unsafe compiler flags and the caller chooses these functions at run
// time (PackedGEMM.isSupported in GlassboxFMAKernels). Call them on x86-64 only
// where the CPU has AVX2 and FMA.
//
// The blocking, packing and panel layouts are Swift's (GlassboxFMAKernels); see
// Goto & van de Geijn 2008, "Anatomy of high-performance matrix multiplication",
// and the BLIS layout of Van Zee & van de Geijn 2015.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma clang assume_nonnull begin

/// Rows of the microkernel's tile: a sliver of packed A holds 6 rows.
#define GLASSBOX_FMA_MR 6
/// Columns of the microkernel's tile: two vectors of 8 floats.
#define GLASSBOX_FMA_NR 16

/// `C[i, j] += alpha · Σₚ A(i, p)·B(p, j)` for i < `rows` and j < `columns` (≤ 16),
/// one 16-column sliver of packed B against every 6-row sliver of packed A.
///
/// Sliver s of A (rows 6s ..< 6s + 6) starts at `a + s·aSliverStride`, element
/// (i, p) at `[p·6 + i]`, zero-padded past `rows`. Row p of B is the 16 floats at
/// `b + p·16`. C is row-major with `ldc`, `c` pointing at element (0, 0).
/// Full tiles add `alpha·acc` with a fused multiply-add; tiles narrower than 16
/// add `alpha * acc` element by element, unfused. The accumulators are summed over
/// p in order with one FMA per lane and step.
void glassbox_fma_gemm_packed_b(ptrdiff_t depth, ptrdiff_t rows, ptrdiff_t columns, float alpha,
                                const float *a, ptrdiff_t aSliverStride, const float *b,
                                float *c, ptrdiff_t ldc);

/// As ``glassbox_fma_gemm_packed_b``, with row p of the B sliver read in place:
/// 16 floats at `b + offsets[p]` (the indirect GEMM of Dukhan 2019, "The indirect
/// convolution algorithm"). All 16 floats are read even where `columns` < 16.
void glassbox_fma_gemm_offset_rows(ptrdiff_t depth, ptrdiff_t rows, ptrdiff_t columns, float alpha,
                                   const float *a, ptrdiff_t aSliverStride, const float *b,
                                   const ptrdiff_t *offsets, float *c, ptrdiff_t ldc);

/// Runs `iterations` rounds of 10 independent eight-lane FMA chains (160 FLOPs a
/// round) in registers; `seed` varies the operands. Returns a value to keep.
float glassbox_fma_peak_loop(ptrdiff_t iterations, float seed);

#pragma clang assume_nonnull end

#ifdef __cplusplus
}
#endif

#endif
