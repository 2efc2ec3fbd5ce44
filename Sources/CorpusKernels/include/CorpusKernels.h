#ifndef TRELLIS_CORPUS_KERNELS_H
#define TRELLIS_CORPUS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// Hot loops of the corpus step in C with x86 extensions, chosen at run time. Each gives the same
// result, bit for bit, as the Swift code it replaces (which stays as the fallback; tests compare).

/// 1 when this CPU runs the AVX-512 (F + BW) corpus kernels below, else 0.
int trellis_corpus_avx512_available(void);

/// Language ID: for every 1-, 2- and 3-gram feature of `mapped[0..<count]` (see
/// `LanguageIdentifier.forEachFeature`: letters and single spaces, windows start after a space),
/// sums row `bucket` of `weights` (`lanes` × 16 floats per bucket) per n-gram order in text order and
/// writes (1-gram sum + 2-gram sum) + 3-gram sum to `acc` (`lanes` × 16 floats). `bucketBits` is the
/// log2 of the bucket count.
void trellis_lid_accumulate(const float *weights, int lanes, int bucketBits,
                            const uint32_t *mapped, size_t count, float *acc);

/// SimHash: the 64-bit majority vote over the fmix64 hashes of every `shingle`-scalar window of
/// `text` (polynomial rolling hash with base 0x100000001b3, each scalar + 1), as `SimHasher`.
/// `count` ≥ 1; windows are min(shingle, count) long.
uint64_t trellis_simhash_fingerprint(const uint32_t *text, size_t count, int shingle);

#endif
