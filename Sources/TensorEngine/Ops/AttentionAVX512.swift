import CPUKernels

/// The fused attention on the AVX-512 register-tiled kernels (`CPUKernels/Attention.c`), one
/// (batch, head) per task, instead of OpenBLAS calls on small blocks. Used without dropout and
/// for head sizes up to 64; the BLAS-based kernels in `Attention.swift` cover the rest. Between
/// forward and backward they keep `stats` (B, nh, T, 2), not the probabilities.
extension CPUBackend {
    func usesAttentionKernels(_ p: AttentionProblem, dropout: Bool) -> Bool {
        usesAVX512 && !dropout && p.headSize <= 64 && p.segmentStarts == nil
    }

    func attentionForwardAVX512(_ p: AttentionProblem, qkv: UnsafePointer<Float>, stats: UnsafeMutablePointer<Float>,
                                out: UnsafeMutablePointer<Float>) {
        let t = p.length, hs = p.headSize, c = p.channels, tt = t * t
        Parallel.forRanges(p.batch * p.heads, costPerItem: 2 * tt * hs) { r in
            let buffer = Tensor(shape: [trellis_attention_scratch_count(t, hs)], zeroed: false)   // pooled, no page faults
            let scratch = buffer.pointer
            defer { withExtendedLifetime(buffer) {} }
            for bh in r {
                let b = bh / p.heads, h = bh % p.heads
                let q = qkv + b * t * 3 * c + h * 3 * hs          // Q of (b, h): (T, hs), ld 3C; K at +hs, V at +2hs
                trellis_attention_forward(q, q + hs, q + 2 * hs, 3 * c, t, hs, p.scale, p.slopes.isEmpty ? 0 : p.slopes[h],
                                          stats + bh * 2 * t, out + b * t * c + h * hs, c, scratch)
            }
        }
    }

    func attentionBackwardAVX512(_ p: AttentionProblem, qkv: UnsafePointer<Float>, stats: UnsafePointer<Float>,
                                 dout: UnsafePointer<Float>, dqkv: UnsafeMutablePointer<Float>) {
        let t = p.length, hs = p.headSize, c = p.channels, tt = t * t
        Parallel.forRanges(p.batch * p.heads, costPerItem: 4 * tt * hs) { r in
            let buffer = Tensor(shape: [trellis_attention_scratch_count(t, hs)], zeroed: false)   // pooled, no page faults
            let scratch = buffer.pointer
            defer { withExtendedLifetime(buffer) {} }
            for bh in r {
                let b = bh / p.heads, h = bh % p.heads
                let q = qkv + b * t * 3 * c + h * 3 * hs
                let dq = dqkv + b * t * 3 * c + h * 3 * hs
                trellis_attention_backward(q, q + hs, q + 2 * hs, 3 * c, t, hs, p.scale, p.slopes.isEmpty ? 0 : p.slopes[h],
                                           stats + bh * 2 * t, dout + b * t * c + h * hs, c, dq, dq + hs, dq + 2 * hs, scratch)
            }
        }
    }
}
