// ---- General matrix multiply, batched: for z = get_global_id(2),
// C_z = alpha·op(A_z)·op(B_z) + beta·C0_z, where operand X_z starts at
// xOffset + (z % xPeriod)·xStride of its buffer (a period equal to the batch count
// means every z has its own matrix; a smaller one repeats matrices, e.g. the
// weights of each group across the samples of a convolution).
//
// A work-group of GEMM_GROUP × GEMM_GROUP work items computes a GEMM_TILE × GEMM_TILE
// tile of C; work item (tx, ty) holds the GEMM_BLOCK × GEMM_BLOCK elements at rows
// ty + GEMM_GROUP·r and columns tx + GEMM_GROUP·c of the tile in registers. The depth
// is walked in slices of GEMM_DEPTH staged in local memory, loaded zero-padded past
// the matrix edges, with each operand's transpose folded into the load addresses.
// Every element of C sums its products in depth order with fused multiply-adds.

// The host picks GEMM_GROUP, GEMM_BLOCK and GEMM_DEPTH per device from its limits
// (GEMMTiling.swift) and passes them as -D build options; these are the defaults.
#ifndef GEMM_GROUP
#define GEMM_GROUP 16
#endif
#ifndef GEMM_BLOCK
#define GEMM_BLOCK 4
#endif
#ifndef GEMM_DEPTH
#define GEMM_DEPTH 16
#endif
#define GEMM_TILE (GEMM_GROUP * GEMM_BLOCK)
// Row pitch of a staged slice: one more than the tile so the depth-major stores of
// operands that are contiguous along the depth spread across local memory banks.
#define GEMM_PITCH (GEMM_TILE + 1)

// Stages rows row0 … row0 + GEMM_TILE − 1 and depths k0 … k0 + GEMM_DEPTH − 1 of a
// rows × depth operand into slice[p·GEMM_PITCH + i]. The operand is stored either
// contiguous along the depth (element (r, q) at r·depth + q) or along the rows (at
// q·rows + r); consecutive work items read consecutive addresses in both cases.
inline void gemm_stage(local float *slice, global const float *x, const int rows, const int depth,
                       const int row0, const int k0, const int alongDepth, const int item) {
    for (int e = item; e < GEMM_TILE * GEMM_DEPTH; e += GEMM_GROUP * GEMM_GROUP) {
        const int i = alongDepth ? e / GEMM_DEPTH : e % GEMM_TILE;
        const int p = alongDepth ? e % GEMM_DEPTH : e / GEMM_TILE;
        const int r = row0 + i, q = k0 + p;
        slice[p * GEMM_PITCH + i] = (r < rows && q < depth) ? x[alongDepth ? r * depth + q : q * rows + r] : 0.0f;
    }
}

// Launch with local size (GEMM_GROUP, GEMM_GROUP, 1) over
// (⌈n / GEMM_TILE⌉·GEMM_GROUP, ⌈m / GEMM_TILE⌉·GEMM_GROUP, batch). C0 is read only
// when beta ≠ 0 and may be the same buffer as C (accumulation in place).
kernel void kernel_gemm(global const float *a, const int aOffset, const int aStride, const int aPeriod,
                        global const float *b, const int bOffset, const int bStride, const int bPeriod,
                        global float *c, global const float *c0, const int cOffset, const int cStride, const int cPeriod,
                        const int m, const int n, const int k, const int transposeA, const int transposeB,
                        const float alpha, const float beta) {
    local float aSlice[GEMM_DEPTH * GEMM_PITCH];
    local float bSlice[GEMM_DEPTH * GEMM_PITCH];
    const int tx = get_local_id(0), ty = get_local_id(1), item = ty * GEMM_GROUP + tx;
    const int row0 = get_group_id(1) * GEMM_TILE, column0 = get_group_id(0) * GEMM_TILE;
    const int z = get_global_id(2);
    global const float *aMatrix = a + aOffset + (z % aPeriod) * aStride;
    global const float *bMatrix = b + bOffset + (z % bPeriod) * bStride;
    const int cBase = cOffset + (z % cPeriod) * cStride;

    float sum[GEMM_BLOCK][GEMM_BLOCK];
    for (int r = 0; r < GEMM_BLOCK; ++r)
        for (int s = 0; s < GEMM_BLOCK; ++s) sum[r][s] = 0.0f;

    for (int k0 = 0; k0 < k; k0 += GEMM_DEPTH) {
        // op(A) is m × k, contiguous along k unless transposed; op(B)ᵀ is n × k,
        // contiguous along k only when B is transposed.
        gemm_stage(aSlice, aMatrix, m, k, row0, k0, !transposeA, item);
        gemm_stage(bSlice, bMatrix, n, k, column0, k0, transposeB, item);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < GEMM_DEPTH; ++p) {
            float aValues[GEMM_BLOCK], bValues[GEMM_BLOCK];
            for (int r = 0; r < GEMM_BLOCK; ++r) aValues[r] = aSlice[p * GEMM_PITCH + ty + GEMM_GROUP * r];
            for (int s = 0; s < GEMM_BLOCK; ++s) bValues[s] = bSlice[p * GEMM_PITCH + tx + GEMM_GROUP * s];
            for (int r = 0; r < GEMM_BLOCK; ++r)
                for (int s = 0; s < GEMM_BLOCK; ++s) sum[r][s] = fma(aValues[r], bValues[s], sum[r][s]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int r = 0; r < GEMM_BLOCK; ++r) {
        const int row = row0 + ty + GEMM_GROUP * r;
        for (int s = 0; s < GEMM_BLOCK; ++s) {
            const int column = column0 + tx + GEMM_GROUP * s;
            if (row < m && column < n) {
                const int index = cBase + row * n + column;
                const float product = alpha * sum[r][s];
                c[index] = beta != 0.0f ? product + beta * c0[index] : product;
            }
        }
    }
}
