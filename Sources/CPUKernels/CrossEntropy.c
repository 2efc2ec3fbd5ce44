// One row of the fused log-softmax + NLL: logsumexp and, optionally, scale·(softmax − onehot).
#include <math.h>
#include <string.h>
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 float trellis_cross_entropy_row(const float *x, long cols, int32_t target, float scale, float *dlogits) {
    __m512 mx = _mm512_set1_ps(-__builtin_inff());
    long j = 0;
    for (; j + 16 <= cols; j += 16) mx = _mm512_max_ps(mx, _mm512_loadu_ps(x + j));
    const __mmask16 k = trellis_tail(cols - j);
    if (j < cols) mx = _mm512_mask_max_ps(mx, k, mx, _mm512_maskz_loadu_ps(k, x + j));
    const float mf = trellis_hmax(mx);
    const __m512 m = _mm512_set1_ps(mf);
    __m512 sum = _mm512_setzero_ps();
    if (dlogits) {
        for (j = 0; j + 16 <= cols; j += 16) {
            __m512 e = trellis_exp512(_mm512_sub_ps(_mm512_loadu_ps(x + j), m));
            _mm512_storeu_ps(dlogits + j, e);
            sum = _mm512_add_ps(sum, e);
        }
        if (j < cols) {
            __m512 e = _mm512_maskz_mov_ps(k, trellis_exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), m)));
            _mm512_mask_storeu_ps(dlogits + j, k, e);
            sum = _mm512_add_ps(sum, e);
        }
    } else {
        for (j = 0; j + 16 <= cols; j += 16) sum = _mm512_add_ps(sum, trellis_exp512(_mm512_sub_ps(_mm512_loadu_ps(x + j), m)));
        if (j < cols) sum = _mm512_add_ps(sum, _mm512_maskz_mov_ps(k, trellis_exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), m))));
    }
    const float total = trellis_hsum(sum);
    if (dlogits) {
        if (target < 0) {
            memset(dlogits, 0, (size_t)cols * sizeof(float));
        } else {
            const __m512 s = _mm512_set1_ps(scale / total);
            for (j = 0; j + 16 <= cols; j += 16) _mm512_storeu_ps(dlogits + j, _mm512_mul_ps(_mm512_loadu_ps(dlogits + j), s));
            if (j < cols) _mm512_mask_storeu_ps(dlogits + j, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, dlogits + j), s));
            dlogits[target] -= scale;
        }
    }
    return mf + logf(total);
}
#else
float trellis_cross_entropy_row(const float *x, long cols, int32_t target, float scale, float *dlogits) { __builtin_trap(); }
#endif
