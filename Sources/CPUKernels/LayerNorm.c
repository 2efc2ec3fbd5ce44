// LayerNorm rows (llm.c layernorm_forward/backward), 16 lanes at a time.
#include <math.h>
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__)
TRELLIS_AVX512 void trellis_layer_norm_forward(const float *x, const float *w, const float *b, float *out,
                                               float *mean, float *rstd, long rows, long cols, float eps) {
    const long full = cols & ~15L;
    const __mmask16 k = trellis_tail(cols - full);
    for (long row = 0; row < rows; row++) {
        const float *xr = x + row * cols;
        float *o = out + row * cols;
        __m512 acc = _mm512_setzero_ps();
        for (long j = 0; j < full; j += 16) acc = _mm512_add_ps(acc, _mm512_loadu_ps(xr + j));
        if (full < cols) acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(k, xr + full));
        const float mf = trellis_hsum(acc) / (float)cols;
        const __m512 m = _mm512_set1_ps(mf);
        __m512 var = _mm512_setzero_ps();
        for (long j = 0; j < full; j += 16) {
            __m512 d = _mm512_sub_ps(_mm512_loadu_ps(xr + j), m);
            var = _mm512_fmadd_ps(d, d, var);
        }
        if (full < cols) {
            __m512 d = _mm512_maskz_sub_ps(k, _mm512_maskz_loadu_ps(k, xr + full), m);
            var = _mm512_fmadd_ps(d, d, var);
        }
        const float sf = 1.0f / sqrtf(trellis_hsum(var) / (float)cols + eps);
        const __m512 s = _mm512_set1_ps(sf);
        for (long j = 0; j < full; j += 16) {
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(xr + j), m), s);
            _mm512_storeu_ps(o + j, _mm512_fmadd_ps(xh, _mm512_loadu_ps(w + j), _mm512_loadu_ps(b + j)));
        }
        if (full < cols) {
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, xr + full), m), s);
            _mm512_mask_storeu_ps(o + full, k, _mm512_fmadd_ps(xh, _mm512_maskz_loadu_ps(k, w + full),
                                                               _mm512_maskz_loadu_ps(k, b + full)));
        }
        mean[row] = mf;
        rstd[row] = sf;
    }
}

/// With x̂ = (x − μ)·rstd and d = g·w: dx = rstd·(d − mean(d) − x̂·mean(d·x̂)); dw += g·x̂; db += g.
TRELLIS_AVX512 void trellis_layer_norm_backward(const float *dout, const float *x, const float *w,
                                                const float *mean, const float *rstd, float *dx,
                                                float *dw, float *db, long rows, long cols) {
    const long full = cols & ~15L;
    const __mmask16 k = trellis_tail(cols - full);
    for (long row = 0; row < rows; row++) {
        const float *g = dout + row * cols, *xr = x + row * cols;
        float *d = dx + row * cols;
        const __m512 m = _mm512_set1_ps(mean[row]), s = _mm512_set1_ps(rstd[row]);
        __m512 sumD = _mm512_setzero_ps(), sumDX = _mm512_setzero_ps();
        for (long j = 0; j < cols; j += 16) {
            const __mmask16 kk = j < full ? (__mmask16)0xFFFF : k;
            __m512 gv = _mm512_maskz_loadu_ps(kk, g + j);
            __m512 xh = _mm512_maskz_mul_ps(kk, _mm512_sub_ps(_mm512_maskz_loadu_ps(kk, xr + j), m), s);
            __m512 di = _mm512_mul_ps(gv, _mm512_maskz_loadu_ps(kk, w + j));
            sumD = _mm512_add_ps(sumD, di);
            sumDX = _mm512_fmadd_ps(di, xh, sumDX);
            _mm512_mask_storeu_ps(dw + j, kk, _mm512_fmadd_ps(gv, xh, _mm512_maskz_loadu_ps(kk, dw + j)));
            _mm512_mask_storeu_ps(db + j, kk, _mm512_add_ps(gv, _mm512_maskz_loadu_ps(kk, db + j)));
        }
        const __m512 meanD = _mm512_set1_ps(trellis_hsum(sumD) / (float)cols);
        const __m512 meanDX = _mm512_set1_ps(trellis_hsum(sumDX) / (float)cols);
        for (long j = 0; j < cols; j += 16) {
            const __mmask16 kk = j < full ? (__mmask16)0xFFFF : k;
            __m512 gv = _mm512_maskz_loadu_ps(kk, g + j);
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(kk, xr + j), m), s);
            __m512 di = _mm512_mul_ps(gv, _mm512_maskz_loadu_ps(kk, w + j));
            __m512 r = _mm512_sub_ps(_mm512_sub_ps(di, meanD), _mm512_mul_ps(xh, meanDX));
            _mm512_mask_storeu_ps(d + j, kk, _mm512_mul_ps(s, r));
        }
    }
}
#else
void trellis_layer_norm_forward(const float *x, const float *w, const float *b, float *out,
                                float *mean, float *rstd, long rows, long cols, float eps) { __builtin_trap(); }
void trellis_layer_norm_backward(const float *dout, const float *x, const float *w,
                                 const float *mean, const float *rstd, float *dx,
                                 float *dw, float *db, long rows, long cols) { __builtin_trap(); }
#endif
