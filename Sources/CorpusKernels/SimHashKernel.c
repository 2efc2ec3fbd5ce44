// SimHash votes with AVX-512BW: the 64 bits of a shingle hash are a mask register, and one masked
// byte add counts all 64 votes at once. Byte counters are widened to 32-bit totals every 255 shingles.
#include "CorpusKernels.h"
#include "Mix.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw")))
static inline void spill(__m512i bytes, __m512i totals[4]) {
    for (int q = 0; q < 4; q++) {
        __m128i part;
        switch (q) {
        case 0: part = _mm512_extracti32x4_epi32(bytes, 0); break;
        case 1: part = _mm512_extracti32x4_epi32(bytes, 1); break;
        case 2: part = _mm512_extracti32x4_epi32(bytes, 2); break;
        default: part = _mm512_extracti32x4_epi32(bytes, 3); break;
        }
        totals[q] = _mm512_add_epi32(totals[q], _mm512_cvtepu8_epi32(part));
    }
}

__attribute__((target("avx512f,avx512bw")))
uint64_t trellis_simhash_fingerprint(const uint32_t *text, size_t count, int shingle) {
    const uint64_t base = 0x100000001b3ULL;
    const size_t n = (size_t)shingle < count ? (size_t)shingle : count;
    uint64_t power = 1;
    for (size_t k = 0; k < n; k++) power *= base;
    const __m512i ones = _mm512_set1_epi8(1);
    __m512i counters = _mm512_setzero_si512();
    __m512i totals[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    uint64_t h = 0;
    int64_t total = 0;
    int pending = 0;
    for (size_t i = 0; i < count; i++) {
        h = h * base + (uint64_t)text[i] + 1;
        if (i >= n) h -= ((uint64_t)text[i - n] + 1) * power;
        if (i + 1 < n) continue;
        // Bit j of the hash votes for fingerprint bit j: byte j of the counters.
        counters = _mm512_mask_add_epi8(counters, (__mmask64)trellis_fmix64(h), counters, ones);
        total++;
        if (++pending == 255) { spill(counters, totals); counters = _mm512_setzero_si512(); pending = 0; }
    }
    spill(counters, totals);
    int32_t votes[64];
    for (int q = 0; q < 4; q++) _mm512_storeu_si512((void *)(votes + 16 * q), totals[q]);
    uint64_t fingerprint = 0;
    for (int bit = 0; bit < 64; bit++)
        if (2 * (int64_t)votes[bit] > total) fingerprint |= 1ULL << bit;
    return fingerprint;
}

#else

uint64_t trellis_simhash_fingerprint(const uint32_t *text, size_t count, int shingle) {
    (void)text; (void)count; (void)shingle;
    return 0;
}

#endif
