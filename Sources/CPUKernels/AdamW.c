// AdamW update over a range, in torch.optim.AdamW's order of operations.
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 void trellis_adamw(float *p, const float *g, float *m, float *v, long n, float decay,
                                  float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) {
    const __m512 vDecay = _mm512_set1_ps(decay), c1 = _mm512_set1_ps(1.0f - beta1);
    const __m512 b2 = _mm512_set1_ps(beta2), c2 = _mm512_set1_ps(1.0f - beta2);
    const __m512 vEps = _mm512_set1_ps(eps), step = _mm512_set1_ps(stepSize), bc = _mm512_set1_ps(bc2Sqrt);
    for (long i = 0; i < n; i += 16) {
        const __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : trellis_tail(n - i);
        __m512 pv = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, p + i), vDecay);
        __m512 gv = _mm512_maskz_loadu_ps(k, g + i);
        __m512 mv = _mm512_maskz_loadu_ps(k, m + i);
        mv = _mm512_add_ps(mv, _mm512_mul_ps(c1, _mm512_sub_ps(gv, mv)));
        __m512 vv = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_maskz_loadu_ps(k, v + i)), _mm512_mul_ps(_mm512_mul_ps(c2, gv), gv));
        __m512 denom = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(vv), bc), vEps);
        pv = _mm512_sub_ps(pv, _mm512_div_ps(_mm512_mul_ps(step, mv), denom));
        _mm512_mask_storeu_ps(p + i, k, pv);
        _mm512_mask_storeu_ps(m + i, k, mv);
        _mm512_mask_storeu_ps(v + i, k, vv);
    }
}
#else
void trellis_adamw(float *p, const float *g, float *m, float *v, long n, float decay,
                   float beta1, float beta2, float eps, float stepSize, float bc2Sqrt) { __builtin_trap(); }
#endif
