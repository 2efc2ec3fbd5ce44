// Row softmax for attention (with the ALiBi bias slope·j folded in) and its backward.
#include <string.h>
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 void trellis_softmax_row_stats(const float *src, float *dst, long visible, long cols, float slope,
                                              float *stats) {
    if (visible > 0) {
        const __m512 lane = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const __m512 vs = _mm512_set1_ps(slope);
        __m512 mx = _mm512_set1_ps(-__builtin_inff());
        long j = 0;
        // Pass 1: biased scores into dst, running max.
        for (; j + 16 <= visible; j += 16) {
            __m512 pos = _mm512_add_ps(lane, _mm512_set1_ps((float)j));
            __m512 v = _mm512_fmadd_ps(vs, pos, _mm512_loadu_ps(src + j));
            _mm512_storeu_ps(dst + j, v);
            mx = _mm512_max_ps(mx, v);
        }
        if (j < visible) {
            __mmask16 k = trellis_tail(visible - j);
            __m512 pos = _mm512_add_ps(lane, _mm512_set1_ps((float)j));
            __m512 v = _mm512_fmadd_ps(vs, pos, _mm512_maskz_loadu_ps(k, src + j));
            _mm512_mask_storeu_ps(dst + j, k, v);
            mx = _mm512_mask_max_ps(mx, k, mx, v);
        }
        const __m512 m = _mm512_set1_ps(trellis_hmax(mx));
        // Pass 2: exponentials and their sum.
        __m512 sum = _mm512_setzero_ps();
        for (j = 0; j + 16 <= visible; j += 16) {
            __m512 e = trellis_exp512(_mm512_sub_ps(_mm512_loadu_ps(dst + j), m));
            _mm512_storeu_ps(dst + j, e);
            sum = _mm512_add_ps(sum, e);
        }
        if (j < visible) {
            __mmask16 k = trellis_tail(visible - j);
            __m512 e = _mm512_maskz_mov_ps(k, trellis_exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, dst + j), m)));
            _mm512_mask_storeu_ps(dst + j, k, e);
            sum = _mm512_add_ps(sum, e);
        }
        // Pass 3: normalise.
        const float scale = 1.0f / trellis_hsum(sum);
        if (stats) { stats[0] = _mm512_cvtss_f32(m); stats[1] = scale; }
        const __m512 inv = _mm512_set1_ps(scale);
        for (j = 0; j + 16 <= visible; j += 16) _mm512_storeu_ps(dst + j, _mm512_mul_ps(_mm512_loadu_ps(dst + j), inv));
        if (j < visible) {
            __mmask16 k = trellis_tail(visible - j);
            _mm512_mask_storeu_ps(dst + j, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, dst + j), inv));
        }
    }
    if (cols > visible) memset(dst + (visible > 0 ? visible : 0), 0, (size_t)(cols - (visible > 0 ? visible : 0)) * sizeof(float));
}

TRELLIS_AVX512 void trellis_softmax_row(const float *src, float *dst, long visible, long cols, float slope) {
    trellis_softmax_row_stats(src, dst, visible, cols, slope, NULL);
}

TRELLIS_AVX512 void trellis_softmax_row_recompute(const float *src, float *dst, long visible, long cols, float slope,
                                                  const float *stats) {
    // The forward's three passes fused, with the same operations on each lane: the same bits.
    const __m512 lane = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512 vs = _mm512_set1_ps(slope), m = _mm512_set1_ps(stats[0]), inv = _mm512_set1_ps(stats[1]);
    for (long j = 0; j < visible; j += 16) {
        const __mmask16 k = visible - j >= 16 ? (__mmask16)0xFFFF : trellis_tail(visible - j);
        const __m512 pos = _mm512_add_ps(lane, _mm512_set1_ps((float)j));
        const __m512 v = _mm512_fmadd_ps(vs, pos, _mm512_maskz_loadu_ps(k, src + j));
        _mm512_mask_storeu_ps(dst + j, k, _mm512_mul_ps(trellis_exp512(_mm512_sub_ps(v, m)), inv));
    }
    if (cols > visible) memset(dst + (visible > 0 ? visible : 0), 0, (size_t)(cols - (visible > 0 ? visible : 0)) * sizeof(float));
}

TRELLIS_AVX512 void trellis_softmax_backward_row(const float *p, float *dp, long visible, long cols) {
    __m512 acc = _mm512_setzero_ps();
    long j = 0;
    for (; j + 16 <= visible; j += 16) acc = _mm512_fmadd_ps(_mm512_loadu_ps(p + j), _mm512_loadu_ps(dp + j), acc);
    __mmask16 k = trellis_tail(visible - j);
    if (j < visible) acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, p + j), _mm512_maskz_loadu_ps(k, dp + j), acc);
    const __m512 dot = _mm512_set1_ps(trellis_hsum(acc));
    for (j = 0; j + 16 <= visible; j += 16)
        _mm512_storeu_ps(dp + j, _mm512_mul_ps(_mm512_loadu_ps(p + j), _mm512_sub_ps(_mm512_loadu_ps(dp + j), dot)));
    if (j < visible)
        _mm512_mask_storeu_ps(dp + j, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, p + j),
                                                       _mm512_sub_ps(_mm512_maskz_loadu_ps(k, dp + j), dot)));
    if (cols > visible) memset(dp + visible, 0, (size_t)(cols - visible) * sizeof(float));
}
#else
void trellis_softmax_row(const float *src, float *dst, long visible, long cols, float slope) { __builtin_trap(); }
void trellis_softmax_row_stats(const float *src, float *dst, long visible, long cols, float slope, float *stats) {
    __builtin_trap();
}
void trellis_softmax_row_recompute(const float *src, float *dst, long visible, long cols, float slope,
                                   const float *stats) { __builtin_trap(); }
void trellis_softmax_backward_row(const float *p, float *dp, long visible, long cols) { __builtin_trap(); }
#endif
