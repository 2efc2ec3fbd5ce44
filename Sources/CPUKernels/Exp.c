// e^x over a range (the vector exp of VectorMath512.h).
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 void trellis_exp(const float *src, float *dst, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, trellis_exp512(_mm512_loadu_ps(src + i)));
    if (i < n) {
        __mmask16 k = trellis_tail(n - i);
        _mm512_mask_storeu_ps(dst + i, k, trellis_exp512(_mm512_maskz_loadu_ps(k, src + i)));
    }
}
#else
void trellis_exp(const float *src, float *dst, long n) { __builtin_trap(); }
#endif
