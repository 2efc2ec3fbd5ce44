// Rounding Float32 to bfloat16 precision (round to nearest, ties to even; NaN kept), 16 lanes at a
// time, with the same integer formula as `BFloat16.round` in Swift, so the same bits.
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 void trellis_round_bf16(const float *x, float *out, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, trellis_round_bf16_512(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 k = trellis_tail(n - i);
        _mm512_mask_storeu_ps(out + i, k, trellis_round_bf16_512(_mm512_maskz_loadu_ps(k, x + i)));
    }
}
#else
void trellis_round_bf16(const float *x, float *out, long n) { __builtin_trap(); }
#endif
