// Shared AVX-512 helpers (16 Float32 lanes): exp, GeLU pieces, masked loads for row tails.
#ifndef TRELLIS_VECTOR_MATH_512_H
#define TRELLIS_VECTOR_MATH_512_H

#if defined(__x86_64__)
#include <immintrin.h>

#define TRELLIS_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma")))
#define TRELLIS_INLINE static inline __attribute__((always_inline)) TRELLIS_AVX512

/// Lane mask for the `n` (< 16) elements of a row tail.
TRELLIS_INLINE __mmask16 trellis_tail(long n) { return (__mmask16)((1u << n) - 1u); }

/// Each lane rounded to bfloat16 precision (nearest, ties to even; NaN kept), as Float32: the
/// integer formula of `BFloat16.round` in Swift, so the same bits.
TRELLIS_INLINE __m512 trellis_round_bf16_512(__m512 v) {
    const __m512i bits = _mm512_castps_si512(v);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i sum = _mm512_add_epi32(_mm512_add_epi32(bits, _mm512_set1_epi32(0x7fff)), lsb);
    const __m512 rounded = _mm512_castsi512_ps(_mm512_and_si512(sum, _mm512_set1_epi32((int)0xffff0000u)));
    return _mm512_mask_mov_ps(rounded, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), v);
}

/// e^x per lane: x = n·ln2 + r with n = round(x·log2 e) and a Cody–Waite split of ln2,
/// e^r by Cephes' degree-7 expf polynomial, then r scaled by 2^n (vscalefps: exact, saturating).
/// Inputs are clamped to [−104, 89] first (NaN passes through the clamps).
TRELLIS_INLINE __m512 trellis_exp512(__m512 x) {
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), x);
    x = _mm512_min_ps(_mm512_set1_ps(89.0f), x);
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

/// s = sigmoid(2u) = 0.5·(1 + tanh(u)) for the GeLU argument u = 0.79788456·x·(1 + 0.044715·x²).
TRELLIS_INLINE __m512 trellis_gelu_gate(__m512 x) {
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 u = _mm512_mul_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.79788456f)),
                             _mm512_fmadd_ps(x2, _mm512_set1_ps(0.044715f), _mm512_set1_ps(1.0f)));
    __m512 e = trellis_exp512(_mm512_mul_ps(u, _mm512_set1_ps(-2.0f)));
    return _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

/// Horizontal sum in a fixed order.
TRELLIS_INLINE float trellis_hsum(__m512 v) { return _mm512_reduce_add_ps(v); }
TRELLIS_INLINE float trellis_hmax(__m512 v) { return _mm512_reduce_max_ps(v); }

#endif
#endif
