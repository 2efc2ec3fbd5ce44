// AVX-512 kernels for the CPU backend's elementwise and row-wise work (C, called from Swift).
//
// Each function works on one dense range; TensorEngine cuts the work into ranges with
// `Parallel` (so the split, and every reduction order, depends only on the problem size).
// Call them only when `trellis_avx512_available()` returns 1; the portable Swift kernels
// in TensorEngine cover other CPUs. All arithmetic is Float32; results are deterministic.
#ifndef TRELLIS_CPU_KERNELS_H
#define TRELLIS_CPU_KERNELS_H

#include <stdint.h>

/// 1 when this CPU (and OS) run AVX-512 F/DQ/BW/VL and FMA, else 0.
int trellis_avx512_available(void);
/// 1 when this CPU runs AVX2 and FMA, else 0.
int trellis_avx2_fma_available(void);

/// dst[i] = e^src[i] (to a few ulp; 0 below about -103, +inf above about 88.7; NaN stays NaN).
void trellis_exp(const float *src, float *dst, long n);

/// tanh-approximate GeLU: out = 0.5·x·(1 + tanh(0.79788456·x·(1 + 0.044715·x²))).
void trellis_gelu_forward(const float *x, float *out, long n);
/// dx = dout · GeLU'(x).
void trellis_gelu_backward(const float *dout, const float *x, float *dx, long n);

/// Softmax of (src[j] + slope·j) for j < visible into dst[0..<visible], zeros in dst[visible..<cols].
/// src and dst may alias.
void trellis_softmax_row(const float *src, float *dst, long visible, long cols, float slope);
/// trellis_softmax_row that also writes the row's statistics: stats[0] = max_j (src[j] + slope·j),
/// stats[1] = 1 / Σ_j exp(src[j] + slope·j − stats[0]). stats may be NULL.
void trellis_softmax_row_stats(const float *src, float *dst, long visible, long cols, float slope, float *stats);
/// The same row again from the same src and the forward's stats, in one pass: bit-identical to
/// trellis_softmax_row_stats's dst.
void trellis_softmax_row_recompute(const float *src, float *dst, long visible, long cols, float slope,
                                   const float *stats);

/// Attention-softmax backward on one row, in place on dp: dp[j] = p[j]·(dp[j] − Σ_k p[k]·dp[k])
/// for j < visible, then zeros in dp[visible..<cols].
void trellis_softmax_backward_row(const float *p, float *dp, long visible, long cols);

/// One cross-entropy row of `cols` logits: returns logsumexp(x). If `dlogits` is not NULL it
/// receives scale·softmax(x) with `scale` subtracted at `target` (target < 0: all zeros).
float trellis_cross_entropy_row(const float *x, long cols, int32_t target, float scale, float *dlogits);

/// LayerNorm forward over `rows` rows of `cols`: out = (x − μ)·rstd·w + b; writes μ and rstd per row.
void trellis_layer_norm_forward(const float *x, const float *w, const float *b, float *out,
                                float *mean, float *rstd, long rows, long cols, float eps);
/// LayerNorm backward over `rows` rows: writes dx and adds this range's Σ g·x̂ and Σ g into dw, db.
void trellis_layer_norm_backward(const float *dout, const float *x, const float *w,
                                 const float *mean, const float *rstd, float *dx,
                                 float *dw, float *db, long rows, long cols);

/// AdamW on n elements (PyTorch order of operations):
/// p ·= decay; m += (1 − β1)(g − m); v = β2·v + (1 − β2)·g²; p −= stepSize·m / (sqrt(v)/bc2Sqrt + ε).
void trellis_adamw(float *p, const float *g, float *m, float *v, long n, float decay,
                   float beta1, float beta2, float eps, float stepSize, float bc2Sqrt);

/// out[i] = x[i] rounded to bfloat16 precision (nearest, ties to even; NaN kept), as Float32.
void trellis_round_bf16(const float *x, float *out, long n);

/// 1 when this CPU runs AMX-BF16 tiles (and AVX-512 BF16) and the OS granted the tile state, else 0.
/// The first call asks Linux for the tile state (arch_prctl ARCH_REQ_XCOMP_PERM).
int trellis_amx_available(void);
/// C = alpha·op(A)·op(B) + beta·C (row-major, as cblas_sgemm) with A and B rounded to bfloat16
/// and products accumulated in fp32 on AMX tiles (beta = 0: C is not read); `roundOutput` ≠ 0
/// rounds each result to bfloat16 as it is stored. One thread; call only when
/// `trellis_amx_available()` returns 1.
void trellis_amx_sgemm(int transA, int transB, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb,
                       float beta, float *c, long ldc, int roundOutput);

/// Floats of scratch the attention kernels need per (batch, head) task.
long trellis_attention_scratch_count(long t, long hs);
/// Causal attention of one (batch, head): Q, K, V are (t, hs) with row stride `ld` (hs ≤ 64);
/// out (t, hs) = softmax(scale·Q·Kᵀ + slope·j)·V with row stride `ldo`. Writes stats (t, 2): per
/// query row, the max of its biased scores and 1/Σexp (the backward rebuilds the probabilities).
void trellis_attention_forward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                               float scale, float slope, float *stats, float *out, long ldo, float *scratch);
/// Backward of trellis_attention_forward: writes (overwrites) dq, dk, dv (row stride `ld`) from
/// dout (row stride `ldo`) and the forward's stats.
void trellis_attention_backward(const float *q, const float *k, const float *v, long ld, long t, long hs,
                                float scale, float slope, const float *stats, const float *dout, long ldo,
                                float *dq, float *dk, float *dv, float *scratch);

/// Σ x[i]² with 64 lanes in a fixed order.
float trellis_sum_squares(const float *x, long n);

#endif
