// MurmurHash3's 64-bit finalizer, as `fmix64` in Swift (Corpus/Hashing/Digest128.swift): the kernels
// must hash exactly as the Swift code does.
#ifndef TRELLIS_CORPUS_MIX_H
#define TRELLIS_CORPUS_MIX_H
#include <stdint.h>

static inline uint64_t trellis_fmix64(uint64_t k) {
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}
#endif
