// Language-ID scoring with AVX-512: each n-gram feature adds one row of per-language log
// probabilities (`lanes` vectors of 16 floats) to the running sum of its order, one 512-bit add per
// vector. Same features, same order and same float additions as the Swift loop, so the same sums.
#include "CorpusKernels.h"
#include "Mix.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int trellis_corpus_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
}

#define MAX_LANES 8

// Inlined with a constant `lanes` below, so the running sums live in registers.
__attribute__((target("avx512f"), always_inline))
static inline void accumulate(const float *weights, const int lanes, const unsigned shift,
                              const uint32_t *mapped, size_t count, float *acc) {
    const size_t rowFloats = (size_t)lanes * 16;
    // One running sum per n-gram order and lane (independent dependency chains), combined at the end.
    __m512 uni[MAX_LANES], bi[MAX_LANES], tri[MAX_LANES];
    for (int v = 0; v < lanes; v++) { uni[v] = _mm512_setzero_ps(); bi[v] = _mm512_setzero_ps(); tri[v] = _mm512_setzero_ps(); }
#define ADD_ROW(sum, bucket) do { \
        const float *row = weights + (size_t)(bucket) * rowFloats; \
        for (int v = 0; v < lanes; v++) sum[v] = _mm512_add_ps(sum[v], _mm512_loadu_ps(row + 16 * v)); \
    } while (0)
    uint64_t a = 0x20, b = 0x20;
    for (size_t i = 0; i < count; i++) {
        const uint64_t c = mapped[i];
        if (c != 0x20) ADD_ROW(uni, trellis_fmix64(c * 0x9E3779B9ULL) >> shift);
        if (!(b == 0x20 && c == 0x20)) {
            ADD_ROW(bi, trellis_fmix64(((b << 21) | c) * 0xC2B2AE3D27D4EB4FULL + 2) >> shift);
            ADD_ROW(tri, trellis_fmix64(((a << 42) | (b << 21) | c) + 3) >> shift);
        }
        a = b; b = c;
    }
#undef ADD_ROW
    for (int v = 0; v < lanes; v++) _mm512_storeu_ps(acc + 16 * v, _mm512_add_ps(_mm512_add_ps(uni[v], bi[v]), tri[v]));
}

__attribute__((target("avx512f")))
void trellis_lid_accumulate(const float *weights, int lanes, int bucketBits,
                            const uint32_t *mapped, size_t count, float *acc) {
    const unsigned shift = 64u - (unsigned)bucketBits;
    switch (lanes) {
    case 1: accumulate(weights, 1, shift, mapped, count, acc); break;
    case 2: accumulate(weights, 2, shift, mapped, count, acc); break;
    case 3: accumulate(weights, 3, shift, mapped, count, acc); break;
    default: accumulate(weights, lanes < MAX_LANES ? lanes : MAX_LANES, shift, mapped, count, acc); break;
    }
}

#else

int trellis_corpus_avx512_available(void) { return 0; }
void trellis_lid_accumulate(const float *weights, int lanes, int bucketBits,
                            const uint32_t *mapped, size_t count, float *acc) {
    (void)weights; (void)lanes; (void)bucketBits; (void)mapped; (void)count; (void)acc;
}

#endif
