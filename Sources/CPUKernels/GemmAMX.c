// bfloat16 matrix multiply on Intel AMX tiles, fp32 accumulation (mixed precision).
//
// C = alpha·op(A)·op(B) + beta·C, row-major, like cblas_sgemm; A and B are Float32 arrays whose
// values are converted to bfloat16 (round to nearest even) while packing. Under mixed precision
// they already are bfloat16 values, so the conversion is exact and only the accumulation order
// differs from sgemm on the same values.
//
// Packing: op(A) into 16-row × 32-k tiles (row-major, 64 bytes per row); op(B) into the VNNI
// layout TDPBF16PS wants, 16 k-pairs × 16 columns × 2 values per tile. K is zero-padded to 32,
// M and N to 32. The micro-kernel keeps a 32×32 block of C in four accumulator tiles (0–3) and
// streams two A tiles (4, 5) and two B tiles (6, 7) per 32-wide step of K.
#include <stdlib.h>
#include <string.h>
#include "CPUKernels.h"
#include "VectorMath512.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#define AMX_TARGET __attribute__((target("amx-tile,amx-bf16,avx512f,avx512dq,avx512bw,avx512bf16,avx512vl,fma")))
enum { KB = 32, TILE = 16, BLOCK = 32, NCHUNK = 256 };

int trellis_amx_available(void) {
    static int state = -1;  // -1 unknown; set once (racing first calls compute the same value)
    if (state >= 0) return state;
    unsigned a, b, c, d;
    int ok = __get_cpuid_count(7, 0, &a, &b, &c, &d)
        && ((d >> 22) & 1)     // AMX-BF16
        && ((d >> 24) & 1)     // AMX-TILE
        && ((b >> 16) & 1)     // AVX512F
        && ((b >> 30) & 1);    // AVX512BW
    if (ok) {
        unsigned a1, b1, c1, d1;
        ok = __get_cpuid_count(7, 1, &a1, &b1, &c1, &d1) && ((a1 >> 5) & 1);  // AVX512_BF16
    }
    // Linux hands out the tile state only on request (ARCH_REQ_XCOMP_PERM, XTILEDATA = 18).
    if (ok) ok = syscall(SYS_arch_prctl, 0x1023, 18) == 0;
    state = ok;
    return ok;
}

typedef struct {
    uint8_t palette, startRow, reserved[14];
    uint16_t columnBytes[16];
    uint8_t rows[16];
} __attribute__((packed)) TileConfig;

AMX_TARGET static void configureTiles(void) {
    TileConfig config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int t = 0; t < 8; t++) { config.rows[t] = TILE; config.columnBytes[t] = 64; }
    _tile_loadconfig(&config);
}

/// Round-to-nearest-even bfloat16 bits of one float (NaN kept quiet).
static inline uint16_t bf16(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40);
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

/// 32 consecutive floats → 16 dwords, dword q = (bf16(x[2q]), bf16(x[2q + 1])).
AMX_TARGET static inline void pairs32(const float *x, uint32_t *out) {
    const __m512 lo = _mm512_loadu_ps(x), hi = _mm512_loadu_ps(x + 16);
    _mm512_storeu_si512((void *)out, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
}

/// Interleaves two rows of 16 floats into 16 dwords: dword c = (bf16(even[c]), bf16(odd[c])).
AMX_TARGET static inline void interleave16(const float *even, const float *odd, uint32_t *out) {
    const __m512i order = _mm512_set_epi16(
        31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
        23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i pairs = (__m512i)_mm512_cvtne2ps_pbh(_mm512_loadu_ps(odd), _mm512_loadu_ps(even));  // [even | odd]
    _mm512_storeu_si512((void *)out, _mm512_permutexvar_epi16(order, pairs));
}

/// dst[r][c] = src[c][r] for a 16×16 block of dwords (a tile is 16 rows of 16 dwords).
static inline void transpose16(const uint32_t *src, uint32_t *dst) {
    for (int r = 0; r < 16; r++)
        for (int c = 0; c < 16; c++) dst[r * 16 + c] = src[c * 16 + r];
}

/// op(A) rows [0, m) into tiles: tile (ti, kb) at packed + (ti·kBlocks + kb)·512, row r = 32 values.
AMX_TARGET static void packA(int trans, long m, long k, const float *a, long lda, uint16_t *packed) {
    const long kBlocks = (k + KB - 1) / KB, tiles = (m + BLOCK - 1) / BLOCK * 2;
    for (long ti = 0; ti < tiles; ti++) {
        for (long kb = 0; kb < kBlocks; kb++) {
            uint16_t *tile = packed + (ti * kBlocks + kb) * TILE * KB;
            const long k0 = kb * KB, kn = k - k0 < KB ? k - k0 : KB;
            if (trans && kn == KB && ti * TILE + TILE <= m) {
                // Rows k0…k0+31 of the stored matrix hold 16 consecutive i each: pair them up, then transpose.
                uint32_t staged[TILE * TILE] __attribute__((aligned(64)));
                for (long q = 0; q < TILE; q++)
                    interleave16(a + (k0 + 2 * q) * lda + ti * TILE, a + (k0 + 2 * q + 1) * lda + ti * TILE, staged + q * TILE);
                transpose16(staged, (uint32_t *)tile);
                continue;
            }
            for (long r = 0; r < TILE; r++) {
                const long i = ti * TILE + r;
                uint16_t *row = tile + r * KB;
                if (i >= m) { memset(row, 0, KB * 2); continue; }
                if (!trans && kn == KB) {
                    pairs32(a + i * lda + k0, (uint32_t *)row);
                } else {
                    for (long p = 0; p < KB; p++)
                        row[p] = p < kn ? bf16(trans ? a[(k0 + p) * lda + i] : a[i * lda + k0 + p]) : 0;
                }
            }
        }
    }
}

/// op(B) into VNNI tiles: tile (tj, kb) at packed + (tj·kBlocks + kb)·512; row r holds, for each of
/// 16 columns, the pair (B[k0 + 2r][j], B[k0 + 2r + 1][j]).
AMX_TARGET static void packB(int trans, long k, long n, const float *b, long ldb, uint16_t *packed) {
    const long kBlocks = (k + KB - 1) / KB, tiles = (n + BLOCK - 1) / BLOCK * 2;
    for (long tj = 0; tj < tiles; tj++) {
        for (long kb = 0; kb < kBlocks; kb++) {
            uint16_t *tile = packed + (tj * kBlocks + kb) * TILE * KB;
            const long k0 = kb * KB, kn = k - k0 < KB ? k - k0 : KB;
            const long j0 = tj * TILE;
            if (!trans && kn == KB && j0 + TILE <= n) {
                // Two rows of B (16 columns each) become one tile row of interleaved pairs.
                for (long r = 0; r < TILE; r++)
                    interleave16(b + (k0 + 2 * r) * ldb + j0, b + (k0 + 2 * r + 1) * ldb + j0, (uint32_t *)(tile + r * KB));
                continue;
            }
            if (trans && kn == KB && j0 + TILE <= n) {
                // Column j of op(B) is row j of the stored matrix: 32 consecutive k make 16 pairs; transpose.
                uint32_t staged[TILE * TILE] __attribute__((aligned(64)));
                for (long c = 0; c < TILE; c++) pairs32(b + (j0 + c) * ldb + k0, staged + c * TILE);
                transpose16(staged, (uint32_t *)tile);
                continue;
            }
            for (long r = 0; r < TILE; r++) {
                for (long c = 0; c < TILE; c++) {
                    const long j = j0 + c;
                    for (long h = 0; h < 2; h++) {
                        const long p = 2 * r + h;
                        float v = 0;
                        if (j < n && p < kn) v = trans ? b[j * ldb + k0 + p] : b[(k0 + p) * ldb + j];
                        tile[r * KB + 2 * c + h] = (j < n && p < kn) ? bf16(v) : 0;
                    }
                }
            }
        }
    }
}

/// Grow-only per-thread packing buffers (bytes).
static __thread uint16_t *bufferA, *bufferB;
static __thread size_t capacityA, capacityB;

static uint16_t *reserve(uint16_t **buffer, size_t *capacity, size_t bytes) {
    if (bytes > *capacity) {
        free(*buffer);
        *buffer = aligned_alloc(64, (bytes + 63) / 64 * 64);
        *capacity = *buffer ? bytes : 0;
    }
    return *buffer;
}

AMX_TARGET void trellis_amx_sgemm(int transA, int transB, long m, long n, long k, float alpha,
                                  const float *a, long lda, const float *b, long ldb,
                                  float beta, float *c, long ldc, int roundOutput) {
    const long kBlocks = (k + KB - 1) / KB;
    const long mBlocks = (m + BLOCK - 1) / BLOCK, nBlocks = (n + BLOCK - 1) / BLOCK;
    uint16_t *pa = reserve(&bufferA, &capacityA, (size_t)mBlocks * 2 * kBlocks * TILE * KB * 2);
    uint16_t *pb = reserve(&bufferB, &capacityB, (size_t)nBlocks * 2 * kBlocks * TILE * KB * 2);
    if (!pa || !pb) abort();
    packA(transA, m, k, a, lda, pa);
    packB(transB, k, n, b, ldb, pb);
    configureTiles();
    float result[BLOCK * BLOCK] __attribute__((aligned(64)));
    const long chunkBlocks = NCHUNK / BLOCK;
    for (long nc = 0; nc < nBlocks; nc += chunkBlocks) {
        const long ncEnd = nc + chunkBlocks < nBlocks ? nc + chunkBlocks : nBlocks;
        for (long mb = 0; mb < mBlocks; mb++) {
            const uint16_t *a0 = pa + (2 * mb) * kBlocks * TILE * KB, *a1 = a0 + kBlocks * TILE * KB;
            for (long nb = nc; nb < ncEnd; nb++) {
                const uint16_t *b0 = pb + (2 * nb) * kBlocks * TILE * KB, *b1 = b0 + kBlocks * TILE * KB;
                _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
                for (long kb = 0; kb < kBlocks; kb++) {
                    const long offset = kb * TILE * KB;
                    _tile_loadd(4, a0 + offset, 64);
                    _tile_loadd(5, a1 + offset, 64);
                    _tile_loadd(6, b0 + offset, 64);
                    _tile_loadd(7, b1 + offset, 64);
                    _tile_dpbf16ps(0, 4, 6);
                    _tile_dpbf16ps(1, 4, 7);
                    _tile_dpbf16ps(2, 5, 6);
                    _tile_dpbf16ps(3, 5, 7);
                }
                _tile_stored(0, result, BLOCK * 4);
                _tile_stored(1, result + TILE, BLOCK * 4);
                _tile_stored(2, result + TILE * BLOCK, BLOCK * 4);
                _tile_stored(3, result + TILE * BLOCK + TILE, BLOCK * 4);
                const long i0 = mb * BLOCK, j0 = nb * BLOCK;
                const long rows = m - i0 < BLOCK ? m - i0 : BLOCK, cols = n - j0 < BLOCK ? n - j0 : BLOCK;
                const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
                for (long r = 0; r < rows; r++) {
                    float *out = c + (i0 + r) * ldc + j0;
                    for (long j = 0; j < cols; j += 16) {
                        const __mmask16 mask = cols - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (cols - j)) - 1u);
                        __m512 v = _mm512_mul_ps(va, _mm512_loadu_ps(result + r * BLOCK + j));
                        if (beta != 0) v = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask, out + j), v);
                        if (roundOutput) v = trellis_round_bf16_512(v);
                        _mm512_mask_storeu_ps(out + j, mask, v);
                    }
                }
            }
        }
    }
    _tile_release();
}

#else

int trellis_amx_available(void) { return 0; }
void trellis_amx_sgemm(int transA, int transB, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb,
                       float beta, float *c, long ldc, int roundOutput) { __builtin_trap(); }

#endif
