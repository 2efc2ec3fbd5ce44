// Fused causal attention for one (batch, head), AVX-512 register-tiled (no BLAS calls).
//
// Dims: T = time, hs = head size. Q, K, V are (T, hs) with row stride `ld` (BLOOM's fused QKV).
// Row tiles of 8 queries only visit keys up to the tile's last query, so the masked upper
// triangle is skipped (about half the T×T work). Forward, per tile:
//   S = scale·Q·Kᵀ (Kᵀ staged as (hs, Tp), Tp = T rounded up to 16), P = softmax(S + slope·j) causal,
//   ctx = P·V.
// P never leaves the cache: the forward keeps two numbers per query row (the max of the biased
// scores and 1/Σexp), and the backward rebuilds P bit for bit from the same S product. Writing
// the (T, T) probabilities of every head and reading them back cost more than the extra S product.
// Backward: dP = dctx·Vᵀ; dS = P ⊙ (dP − rowsum(dP ⊙ P)); dQ = scale·dS·K; dV = Pᵀ·dctx;
// dK = scale·dSᵀ·Q. Every output element is one fixed-order sum: deterministic.
// Each (batch, head) first copies its strided operands into scratch (Kᵀ / Vᵀ by gathers, V, K, Q
// and dctx as contiguous (T, hs) rows): the products then stream contiguous memory.
#include <string.h>
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
enum { ROWS = 8 };

/// C[r][j] = alpha·Σ_d A[r·lda + d]·B[d·ldb + j] for r < R, j < ncols (a multiple of 16).
TRELLIS_INLINE void kernel_abt(const long R, long ncols, long depth, const float *A, long lda,
                               const float *B, long ldb, float alpha, float *C, long ldc) {
    const __m512 va = _mm512_set1_ps(alpha);
    long j = 0;
    for (; j + 32 <= ncols; j += 32) {
        __m512 acc0[ROWS], acc1[ROWS];
        for (long r = 0; r < R; r++) { acc0[r] = _mm512_setzero_ps(); acc1[r] = _mm512_setzero_ps(); }
        for (long d = 0; d < depth; d++) {
            const __m512 b0 = _mm512_loadu_ps(B + d * ldb + j), b1 = _mm512_loadu_ps(B + d * ldb + j + 16);
            for (long r = 0; r < R; r++) {
                const __m512 a = _mm512_set1_ps(A[r * lda + d]);
                acc0[r] = _mm512_fmadd_ps(a, b0, acc0[r]);
                acc1[r] = _mm512_fmadd_ps(a, b1, acc1[r]);
            }
        }
        for (long r = 0; r < R; r++) {
            _mm512_storeu_ps(C + r * ldc + j, _mm512_mul_ps(va, acc0[r]));
            _mm512_storeu_ps(C + r * ldc + j + 16, _mm512_mul_ps(va, acc1[r]));
        }
    }
    if (j < ncols) {
        __m512 acc[ROWS];
        for (long r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
        for (long d = 0; d < depth; d++) {
            const __m512 b = _mm512_loadu_ps(B + d * ldb + j);
            for (long r = 0; r < R; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(A[r * lda + d]), b, acc[r]);
        }
        for (long r = 0; r < R; r++) _mm512_storeu_ps(C + r * ldc + j, _mm512_mul_ps(va, acc[r]));
    }
}

/// C[r][0..<hs] = alpha·Σ_{k<depth} A[r·ar + k·ak]·B[k·ldb + 0..<hs] for r < R; hs ≤ 64
/// (NC = ⌈hs/16⌉ lane groups, the last one masked).
TRELLIS_INLINE void kernel_ab(const long R, const long NC, long hs, long depth, const float *A, long ar, long ak,
                              const float *B, long ldb, float alpha, float *C, long ldc) {
    const __mmask16 last = hs % 16 == 0 ? (__mmask16)0xFFFF : trellis_tail(hs % 16);
    __m512 acc[ROWS][4];
    for (long r = 0; r < R; r++) for (long c = 0; c < NC; c++) acc[r][c] = _mm512_setzero_ps();
    for (long k = 0; k < depth; k++) {
        __m512 b[4];
        for (long c = 0; c < NC; c++)
            b[c] = _mm512_maskz_loadu_ps(c == NC - 1 ? last : (__mmask16)0xFFFF, B + k * ldb + 16 * c);
        for (long r = 0; r < R; r++) {
            const __m512 a = _mm512_set1_ps(A[r * ar + k * ak]);
            for (long c = 0; c < NC; c++) acc[r][c] = _mm512_fmadd_ps(a, b[c], acc[r][c]);
        }
    }
    const __m512 va = _mm512_set1_ps(alpha);
    for (long r = 0; r < R; r++)
        for (long c = 0; c < NC; c++)
            _mm512_mask_storeu_ps(C + r * ldc + 16 * c, c == NC - 1 ? last : (__mmask16)0xFFFF, _mm512_mul_ps(va, acc[r][c]));
}

/// kernel_ab for any R ≤ ROWS, with R and NC made compile-time constants.
TRELLIS_AVX512 static void tile_ab(long R, long hs, long depth, const float *A, long ar, long ak,
                                   const float *B, long ldb, float alpha, float *C, long ldc) {
    const long nc = (hs + 15) / 16;
    if (R == ROWS && nc == 2) { kernel_ab(ROWS, 2, hs, depth, A, ar, ak, B, ldb, alpha, C, ldc); return; }
    if (R == ROWS && nc == 1) { kernel_ab(ROWS, 1, hs, depth, A, ar, ak, B, ldb, alpha, C, ldc); return; }
    for (long r = 0; r < R; r++) {
        const float *Ar = A + r * ar;
        float *Cr = C + r * ldc;
        switch (nc) {
        case 1: kernel_ab(1, 1, hs, depth, Ar, ar, ak, B, ldb, alpha, Cr, ldc); break;
        case 2: kernel_ab(1, 2, hs, depth, Ar, ar, ak, B, ldb, alpha, Cr, ldc); break;
        case 3: kernel_ab(1, 3, hs, depth, Ar, ar, ak, B, ldb, alpha, Cr, ldc); break;
        default: kernel_ab(1, 4, hs, depth, Ar, ar, ak, B, ldb, alpha, Cr, ldc); break;
        }
    }
}

TRELLIS_AVX512 static void tile_abt(long R, long ncols, long depth, const float *A, long lda,
                                    const float *B, long ldb, float alpha, float *C, long ldc) {
    if (R == ROWS) { kernel_abt(ROWS, ncols, depth, A, lda, B, ldb, alpha, C, ldc); return; }
    for (long r = 0; r < R; r++) kernel_abt(1, ncols, depth, A + r * lda, lda, B, ldb, alpha, C + r * ldc, ldc);
}

/// dst (hs, tp) = srcᵀ for src (t, hs) with row stride ld; columns t..<tp zero. Sixteen rows of
/// src are gathered into each vector of dst.
TRELLIS_AVX512 static void transpose_padded(const float *src, long ld, long t, long hs, long tp, float *dst) {
    const __m512i rows = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                            _mm512_set1_epi32((int)ld));
    for (long j = 0; j < tp; j += 16) {
        const __mmask16 valid = t - j >= 16 ? (__mmask16)0xFFFF : t > j ? trellis_tail(t - j) : 0;
        for (long d = 0; d < hs; d++)
            _mm512_storeu_ps(dst + d * tp + j,
                             _mm512_mask_i32gather_ps(_mm512_setzero_ps(), valid, rows, src + j * ld + d, 4));
    }
}

/// dst (t, hs) contiguous = src (t, hs) with row stride ld.
TRELLIS_AVX512 static void pack_rows(const float *src, long ld, long t, long hs, float *dst) {
    for (long i = 0; i < t; i++)
        for (long d = 0; d < hs; d += 16) {
            const __mmask16 m = hs - d >= 16 ? (__mmask16)0xFFFF : trellis_tail(hs - d);
            _mm512_mask_storeu_ps(dst + i * hs + d, m, _mm512_maskz_loadu_ps(m, src + i * ld + d));
        }
}

/// MXCSR with flush-to-zero and denormals-are-zero set: probabilities of far-away keys under a
/// steep ALiBi slope fall below FLT_MIN (e^−100 and less), and every product with such a subnormal
/// operand costs a microcode assist (measured: forward 1.7× and backward 2.3× slower on BLOOM's slopes).
/// Inside the attention kernels, values below 1.2e-38 count as zero; the caller's MXCSR is restored.
static unsigned int enter_flush_to_zero(void) {
    const unsigned int saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040u);   // FTZ (bit 15) | DAZ (bit 6)
    return saved;
}

static long round16(long n) { return (n + 15) & ~15L; }

long trellis_attention_scratch_count(long t, long hs) { return 2 * hs * round16(t) + 2 * t * round16(t) + 3 * t * hs; }

TRELLIS_AVX512 void trellis_attention_forward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                              float scale, float slope, float *stats, float *out, long ldo,
                                              float *scratch) {
    const unsigned int mxcsr = enter_flush_to_zero();
    const long tp = round16(t);
    float *kt = scratch, *vp = kt + hs * tp, *p = vp + t * hs;   // Kᵀ (hs, tp); V packed (t, hs); P tile (ROWS, tp)
    transpose_padded(k, ld, t, hs, tp, kt);
    pack_rows(v, ld, t, hs, vp);
    for (long i0 = 0; i0 < t; i0 += ROWS) {
        const long rows = t - i0 < ROWS ? t - i0 : ROWS, keys = i0 + rows;
        // S tile = scale·Q[i0..<i0+rows]·Kᵀ[:, 0..<keys]   (rows, hs)·(hs, keys) -> (rows, keys)
        tile_abt(rows, round16(keys), hs, q + i0 * ld, ld, kt, tp, scale, p, tp);
        // P rows in place, zeros past the diagonal up to the tile's last key; each row's (max, 1/sum)
        // is all the backward pass needs to rebuild them.
        for (long r = 0; r < rows; r++)
            trellis_softmax_row_stats(p + r * tp, p + r * tp, i0 + r + 1, keys, slope, stats + 2 * (i0 + r));
        // ctx tile = P[:, 0..<keys]·V[0..<keys]   (rows, keys)·(keys, hs) -> (rows, hs)
        tile_ab(rows, hs, keys, p, tp, 1, vp, hs, 1.0f, out + i0 * ldo, ldo);
    }
    _mm_setcsr(mxcsr);
}

TRELLIS_AVX512 void trellis_attention_backward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                               float scale, float slope, const float *stats, const float *dout, long ldo,
                                               float *dq, float *dk, float *dv, float *scratch) {
    const unsigned int mxcsr = enter_flush_to_zero();
    const long tp = round16(t);
    float *kt = scratch, *vt = kt + hs * tp;             // Kᵀ, Vᵀ (hs, tp)
    float *p = vt + hs * tp, *ds = p + t * tp;           // P, dS (t, tp)
    float *kp = ds + t * tp, *qp = kp + t * hs, *gp = qp + t * hs;   // K, Q, dctx packed (t, hs)
    transpose_padded(k, ld, t, hs, tp, kt);
    transpose_padded(v, ld, t, hs, tp, vt);
    pack_rows(k, ld, t, hs, kp);
    pack_rows(q, ld, t, hs, qp);
    pack_rows(dout, ldo, t, hs, gp);
    for (long i0 = 0; i0 < t; i0 += ROWS) {
        const long rows = t - i0 < ROWS ? t - i0 : ROWS, keys = i0 + rows, width = round16(keys);
        // P tile rebuilt exactly as the forward computed it: the same S product, then the row statistics.
        tile_abt(rows, width, hs, qp + i0 * hs, hs, kt, tp, scale, p + i0 * tp, tp);
        for (long r = 0; r < rows; r++)
            trellis_softmax_row_recompute(p + (i0 + r) * tp, p + (i0 + r) * tp, i0 + r + 1, keys, slope,
                                          stats + 2 * (i0 + r));
        // dP tile = dctx·Vᵀ   (rows, hs)·(hs, keys) -> (rows, keys), then dS in place (zeros past the diagonal)
        tile_abt(rows, width, hs, gp + i0 * hs, hs, vt, tp, 1.0f, ds + i0 * tp, tp);
        for (long r = 0; r < rows; r++)
            trellis_softmax_backward_row(p + (i0 + r) * tp, ds + (i0 + r) * tp, i0 + r + 1, width);
        // dQ tile = scale·dS·K   (rows, keys)·(keys, hs) -> (rows, hs)
        tile_ab(rows, hs, keys, ds + i0 * tp, tp, 1, kp, hs, scale, dq + i0 * ld, ld);
    }
    for (long j0 = 0; j0 < t; j0 += ROWS) {
        const long rows = t - j0 < ROWS ? t - j0 : ROWS, depth = t - j0;   // queries i >= j0 see key j0
        // dV tile = Pᵀ·dctx over queries j0..<t   (rows, depth)·(depth, hs) -> (rows, hs)
        tile_ab(rows, hs, depth, p + j0 * tp + j0, 1, tp, gp + j0 * hs, hs, 1.0f, dv + j0 * ld, ld);
        // dK tile = scale·dSᵀ·Q
        tile_ab(rows, hs, depth, ds + j0 * tp + j0, 1, tp, qp + j0 * hs, hs, scale, dk + j0 * ld, ld);
    }
    _mm_setcsr(mxcsr);
}
#else
long trellis_attention_scratch_count(long t, long hs) { return 0; }
void trellis_attention_forward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                               float scale, float slope, float *stats, float *out, long ldo,
                               float *scratch) { __builtin_trap(); }
void trellis_attention_backward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                float scale, float slope, const float *stats, const float *dout, long ldo,
                                float *dq, float *dk, float *dv, float *scratch) { __builtin_trap(); }
#endif
