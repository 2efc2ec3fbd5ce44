// Σ x² for gradient norms: four 16-lane accumulators, combined in a fixed order.
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 float trellis_sum_squares(const float *x, long n) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512 x0 = _mm512_loadu_ps(x + i), x1 = _mm512_loadu_ps(x + i + 16);
        __m512 x2 = _mm512_loadu_ps(x + i + 32), x3 = _mm512_loadu_ps(x + i + 48);
        a0 = _mm512_fmadd_ps(x0, x0, a0); a1 = _mm512_fmadd_ps(x1, x1, a1);
        a2 = _mm512_fmadd_ps(x2, x2, a2); a3 = _mm512_fmadd_ps(x3, x3, a3);
    }
    for (; i < n; i += 16) {
        const __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : trellis_tail(n - i);
        __m512 xv = _mm512_maskz_loadu_ps(k, x + i);
        a0 = _mm512_fmadd_ps(xv, xv, a0);
    }
    return trellis_hsum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}
#else
float trellis_sum_squares(const float *x, long n) { __builtin_trap(); }
#endif
