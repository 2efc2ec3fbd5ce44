// Fused causal attention for one (batch, head), AVX-512 register-tiled (no BLAS calls).
//
// Dims: T = time, hs = head size. Q, K, V are (T, hs) with row stride `ld` (BLOOM's fused QKV);
// P (T, T) dense. Row tiles of 8 queries only visit keys up to the tile's last query, so the
// masked upper triangle is skipped (about half the T×T work). Forward, per tile:
//   S = scale·Q·Kᵀ (Kᵀ staged as (hs, Tp), Tp = T rounded up to 16), P = softmax(S + slope·j) causal,
//   ctx = P·V.
// Backward: dP = dctx·Vᵀ; dS = P ⊙ (dP − rowsum(dP ⊙ P)); dQ = scale·dS·K; dV = Pᵀ·dctx;
// dK = scale·dSᵀ·Q. Every output element is one fixed-order sum: deterministic.
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

/// dst (hs, tp) = srcᵀ for src (t, hs) with row stride ld; columns t..<tp zero.
static void transpose_padded(const float *src, long ld, long t, long hs, long tp, float *dst) {
    for (long d = 0; d < hs; d++) {
        float *row = dst + d * tp;
        for (long j = 0; j < t; j++) row[j] = src[j * ld + d];
        for (long j = t; j < tp; j++) row[j] = 0;
    }
}

static long round16(long n) { return (n + 15) & ~15L; }

long trellis_attention_scratch_count(long t, long hs) { return hs * round16(t) + t * round16(t); }

TRELLIS_AVX512 void trellis_attention_forward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                              float scale, float slope, float *probs, float *out, long ldo,
                                              float *scratch) {
    const long tp = round16(t);
    float *kt = scratch, *s = scratch + hs * tp;          // Kᵀ (hs, tp); score tile (ROWS, tp)
    transpose_padded(k, ld, t, hs, tp, kt);
    for (long i0 = 0; i0 < t; i0 += ROWS) {
        const long rows = t - i0 < ROWS ? t - i0 : ROWS, keys = i0 + rows;
        // S tile = scale·Q[i0..<i0+rows]·Kᵀ[:, 0..<keys]   (rows, hs)·(hs, keys) -> (rows, keys)
        tile_abt(rows, round16(keys), hs, q + i0 * ld, ld, kt, tp, scale, s, tp);
        for (long r = 0; r < rows; r++)
            trellis_softmax_row(s + r * tp, probs + (i0 + r) * t, i0 + r + 1, t, slope);
        // ctx tile = P[i0..<i0+rows, 0..<keys]·V[0..<keys]   (rows, keys)·(keys, hs) -> (rows, hs)
        tile_ab(rows, hs, keys, probs + i0 * t, t, 1, v, ld, 1.0f, out + i0 * ldo, ldo);
    }
}

TRELLIS_AVX512 void trellis_attention_backward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                               float scale, const float *probs, const float *dout, long ldo,
                                               float *dq, float *dk, float *dv, float *scratch) {
    const long tp = round16(t);
    float *vt = scratch, *ds = scratch + hs * tp;         // Vᵀ (hs, tp); dS (t, tp)
    transpose_padded(v, ld, t, hs, tp, vt);
    for (long i0 = 0; i0 < t; i0 += ROWS) {
        const long rows = t - i0 < ROWS ? t - i0 : ROWS, keys = i0 + rows, width = round16(keys);
        // dP tile = dctx·Vᵀ   (rows, hs)·(hs, keys) -> (rows, keys), then dS in place (zeros past the diagonal)
        tile_abt(rows, width, hs, dout + i0 * ldo, ldo, vt, tp, 1.0f, ds + i0 * tp, tp);
        for (long r = 0; r < rows; r++)
            trellis_softmax_backward_row(probs + (i0 + r) * t, ds + (i0 + r) * tp, i0 + r + 1, width);
        // dQ tile = scale·dS·K   (rows, keys)·(keys, hs) -> (rows, hs)
        tile_ab(rows, hs, keys, ds + i0 * tp, tp, 1, k, ld, scale, dq + i0 * ld, ld);
    }
    for (long j0 = 0; j0 < t; j0 += ROWS) {
        const long rows = t - j0 < ROWS ? t - j0 : ROWS, depth = t - j0;   // queries i >= j0 see key j0
        // dV tile = Pᵀ·dctx over queries j0..<t   (rows, depth)·(depth, hs) -> (rows, hs)
        tile_ab(rows, hs, depth, probs + j0 * t + j0, 1, t, dout + j0 * ldo, ldo, 1.0f, dv + j0 * ld, ld);
        // dK tile = scale·dSᵀ·Q
        tile_ab(rows, hs, depth, ds + j0 * tp + j0, 1, tp, q + j0 * ld, ld, scale, dk + j0 * ld, ld);
    }
}
#else
long trellis_attention_scratch_count(long t, long hs) { return 0; }
void trellis_attention_forward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                               float scale, float slope, float *probs, float *out, long ldo,
                               float *scratch) { __builtin_trap(); }
void trellis_attention_backward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                float scale, const float *probs, const float *dout, long ldo,
                                float *dq, float *dk, float *dv, float *scratch) { __builtin_trap(); }
#endif
