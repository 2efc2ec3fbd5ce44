/// CPython's `random.Random(seed)`: the Mersenne Twister MT19937 seeded by `init_by_array` with the
/// seed's 32-bit words, `getrandbits`, `_randbelow` and `sample` — so few-shot examples are the
/// ones lm-evaluation-harness draws (`random.Random(1234).sample(docs, k)`, document after document).
struct PythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625

    init(seed: Int) {
        var magnitude = seed.magnitude
        var key: [UInt32] = []
        repeat { key.append(UInt32(truncatingIfNeeded: magnitude)); magnitude >>= 32 } while magnitude > 0
        initGenrand(19_650_218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 { state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i) }
        index = 624
    }

    mutating func next32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7FFF_FFFF)
                state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 1 ? 0x9908_B0DF : 0)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)` for k ≤ 32.
    mutating func bits(_ k: Int) -> UInt32 { k == 0 ? 0 : next32() >> UInt32(32 - k) }

    /// `_randbelow(n)`: rejection sampling on `n.bit_length()` bits.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max), "PythonRandom.below: n out of range")
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = Int(bits(k))
        while r >= n { r = Int(bits(k)) }
        return r
    }

    /// `sample(range(n), k)`: k distinct indices in CPython's order (pool or set algorithm by size).
    mutating func sample(populationSize n: Int, count k: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "PythonRandom.sample: sample larger than population")
        var setSize = 21
        if k > 5 {
            // 4 ** ceil(log(3k, 4)), computed as CPython does (in floating point)
            let exponent = (log(Double(k * 3)) / log(4.0)).rounded(.up)
            setSize += Int(pow(4.0, exponent))
        }
        var result: [Int] = []
        result.reserveCapacity(k)
        if n <= setSize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = below(n)
                while selected.contains(j) { j = below(n) }
                selected.insert(j)
                result.append(j)
            }
        }
        return result
    }
}

import Foundation
