// Rounding Float32 to bfloat16 precision (round to nearest, ties to even; NaN kept), 16 lanes at a
// time, with the same integer formula as `BFloat16.round` in Swift, so the same bits.
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_INLINE __m512 round_bf16(__m512 v) {
    const __m512i bits = _mm512_castps_si512(v);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i sum = _mm512_add_epi32(_mm512_add_epi32(bits, _mm512_set1_epi32(0x7fff)), lsb);
    const __m512 rounded = _mm512_castsi512_ps(_mm512_and_si512(sum, _mm512_set1_epi32((int)0xffff0000u)));
    return _mm512_mask_mov_ps(rounded, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), v);
}

TRELLIS_AVX512 void trellis_round_bf16(const float *x, float *out, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, round_bf16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 k = trellis_tail(n - i);
        _mm512_mask_storeu_ps(out + i, k, round_bf16(_mm512_maskz_loadu_ps(k, x + i)));
    }
}
#else
void trellis_round_bf16(const float *x, float *out, long n) { __builtin_trap(); }
#endif
