// tanh-approximate GeLU and its derivative, 16 lanes at a time.
// With t = tanh(u), u = 0.79788456·x·(1 + 0.044715·x²) and s = (1 + t)/2 = sigmoid(2u):
//   y = x·s;  y' = 0.5·x·(1 − t²)·(0.79788456 + 0.1070322243·x²) + s, where 1 − t² = 4·s·(1 − s).
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 void trellis_gelu_forward(const float *x, float *out, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        _mm512_storeu_ps(out + i, _mm512_mul_ps(v, trellis_gelu_gate(v)));
    }
    if (i < n) {
        __mmask16 k = trellis_tail(n - i);
        __m512 v = _mm512_maskz_loadu_ps(k, x + i);
        _mm512_mask_storeu_ps(out + i, k, _mm512_mul_ps(v, trellis_gelu_gate(v)));
    }
}

TRELLIS_INLINE __m512 gelu_derivative(__m512 v) {
    __m512 s = trellis_gelu_gate(v);
    __m512 one = _mm512_set1_ps(1.0f);
    __m512 slope = _mm512_fmadd_ps(_mm512_mul_ps(v, v), _mm512_set1_ps(0.1070322243f), _mm512_set1_ps(0.79788456f));
    // 0.5·x·4·s·(1 − s)·slope + s
    __m512 a = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(2.0f), v), _mm512_mul_ps(s, _mm512_sub_ps(one, s)));
    return _mm512_fmadd_ps(a, slope, s);
}

TRELLIS_AVX512 void trellis_gelu_backward(const float *dout, const float *x, float *dx, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        _mm512_storeu_ps(dx + i, _mm512_mul_ps(_mm512_loadu_ps(dout + i), gelu_derivative(v)));
    }
    if (i < n) {
        __mmask16 k = trellis_tail(n - i);
        __m512 v = _mm512_maskz_loadu_ps(k, x + i);
        _mm512_mask_storeu_ps(dx + i, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, dout + i), gelu_derivative(v)));
    }
}

#else
void trellis_gelu_forward(const float *x, float *out, long n) { __builtin_trap(); }
void trellis_gelu_backward(const float *dout, const float *x, float *dx, long n) { __builtin_trap(); }
#endif
