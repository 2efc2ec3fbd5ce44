import ParallelLoops
import CorpusKernels

/// A character n-gram (1–3) naive Bayes language identifier, trained on the corpus's own labelled
/// sources (each source declares its language). Stands in for the fastText `lid.176` model of ROOTS.
///
/// `identify` splits the text into windows of about 256 letters, classifies each, and returns the
/// language with the highest total log-likelihood plus a score in 0…1: the share of windows (by
/// length) that agree with it. A French page with untranslated English paragraphs scores below 1.
///
/// ```swift
/// let lid = LanguageIdentifier.train(samples: ["en": englishText, "fr": frenchText])
/// lid.identify(UTF8Codec.scalars("Le chat dort sur le canapé.")).language  // "fr"
/// ```
public struct LanguageIdentifier: Sendable {
    public let languages: [String]
    /// log P(bucket | language): per bucket, `lanes` vectors of 16 languages.
    private let weights: [SIMD16<Float>]
    private let lanes: Int
    static let bucketBits = 15
    static let windowLetters = 256
    /// Longer texts are sampled: at most this many evenly spaced windows are scored.
    static let maxWindows = 8

    /// Trains from text samples per language (scalar values; any case), languages in parallel.
    public static func train(samples: [String: [UInt32]], workers: Int = 1) -> LanguageIdentifier {
        let languages = samples.keys.sorted()
        let lanes = max(1, (languages.count + 15) / 16)
        let buckets = 1 << bucketBits
        // One column of log probabilities per language.
        let columns: [[Float]] = ParallelLoop.map(languages, workers: workers, block: 1) { language in
            var counts = [Float](repeating: 0, count: buckets)
            var mapped: [UInt32] = []
            mapLetters(samples[language]!, into: &mapped)
            var total: Float = 0
            counts.withUnsafeMutableBufferPointer { c in
                forEachFeature(mapped[...]) { bucket, _ in c[bucket] += 1; total += 1 }
                // Additive smoothing, then log probabilities.
                let alpha: Float = 0.1
                let denominator = total + alpha * Float(buckets)
                for b in 0..<buckets { c[b] = logf((c[b] + alpha) / denominator) }
            }
            return counts
        }
        var weights = [SIMD16<Float>](repeating: .zero, count: buckets * lanes)
        for (l, column) in columns.enumerated() {
            for b in 0..<buckets { weights[b * lanes + l / 16][l % 16] = column[b] }
        }
        return LanguageIdentifier(languages: languages, weights: weights, lanes: lanes)
    }

    /// The most likely language of `text` and the share of windows agreeing with it.
    public func identify(_ text: [UInt32]) -> (language: String, score: Double) {
        var mapped: [UInt32] = []
        Self.mapLetters(text, into: &mapped)
        return identifyMapped(mapped)
    }

    /// Whether windows are scored by the AVX-512 kernel (same sums as the Swift loop).
    static let usesAVX512 = trellis_corpus_avx512_available() != 0

    /// - Parameter portable: true forces the Swift loop (tests compare it with the kernel).
    func identifyMapped(_ mapped: [UInt32], portable: Bool = false) -> (language: String, score: Double) {
        guard !languages.isEmpty, !mapped.isEmpty else { return (languages.first ?? "", 0) }
        let windowCount = max(1, mapped.count / Self.windowLetters)
        let step = max(1, (windowCount + Self.maxWindows - 1) / Self.maxWindows)
        var total = [SIMD16<Float>](repeating: .zero, count: lanes)
        var window = [SIMD16<Float>](repeating: .zero, count: lanes)
        var winners: [(Int, Int)] = []
        var w = 0
        while w < windowCount {
            let start = w * Self.windowLetters
            let end = w == windowCount - 1 ? mapped.count : start + Self.windowLetters
            scoreWindow(mapped, start..<end, into: &window, portable: portable)
            let best = argmax(window)
            winners.append((best, end - start))
            for v in 0..<lanes { total[v] += window[v] }
            w += step
        }
        let best = argmax(total)
        let agreeing = winners.filter { $0.0 == best }.reduce(0) { $0 + $1.1 }
        let all = winners.reduce(0) { $0 + $1.1 }
        return (languages[best], all == 0 ? 0 : Double(agreeing) / Double(all))
    }

    /// Sets `window` (`lanes` vectors) to the summed log probabilities of the features of `mapped[range]`:
    /// the 1-, 2- and 3-gram features are summed separately in text order, then (1 + 2) + 3, so the
    /// three running sums do not wait on each other. The AVX-512 kernel adds in exactly this order.
    func scoreWindow(_ mapped: [UInt32], _ range: Range<Int>, into window: inout [SIMD16<Float>], portable: Bool = false) {
        let lanes = self.lanes
        for v in 0..<lanes { window[v] = .zero }
        weights.withUnsafeBufferPointer { weightBuffer in
            let base = weightBuffer.baseAddress!
            if Self.usesAVX512 && !portable && lanes <= 8 {
                window.withUnsafeMutableBytes { acc in
                    mapped.withUnsafeBufferPointer { text in
                        base.withMemoryRebound(to: Float.self, capacity: weightBuffer.count * 16) { floats in
                            trellis_lid_accumulate(floats, Int32(lanes), Int32(Self.bucketBits), text.baseAddress! + range.lowerBound, range.count,
                                                   acc.baseAddress!.assumingMemoryBound(to: Float.self))
                        }
                    }
                }
            } else {
                var sums = [SIMD16<Float>](repeating: .zero, count: 3 * lanes)  // [order][lane]
                sums.withUnsafeMutableBufferPointer { acc in
                    Self.forEachFeature(mapped[range]) { bucket, order in
                        let row = base + bucket * lanes
                        for v in 0..<lanes { acc[order * lanes + v] += row[v] }
                    }
                }
                for v in 0..<lanes { window[v] = (sums[v] + sums[lanes + v]) + sums[2 * lanes + v] }
            }
        }
    }

    private func argmax(_ values: [SIMD16<Float>]) -> Int {
        var best = 0
        var bestValue = values[0][0]
        for i in 1..<languages.count where values[i / 16][i % 16] > bestValue {
            best = i
            bestValue = values[i / 16][i % 16]
        }
        return best
    }

    /// Lowercase letters kept; every run of other characters becomes one space.
    static func mapLetters(_ text: [UInt32], into out: inout [UInt32]) {
        let tables = ScalarTables.shared
        out.removeAll(keepingCapacity: true)
        var result = out
        out = []
        result.reserveCapacity(text.count + 2)
        result.append(0x20)
        var lastSpace = true
        for s in text {
            if tables.cls(s).contains(.letter) {
                result.append(tables.low(s)); lastSpace = false
            } else if !lastSpace {
                result.append(0x20); lastSpace = true
            }
        }
        if !lastSpace { result.append(0x20) }
        out = result
    }

    /// Calls `body` with the bucket and order (0, 1, 2 for 1-, 2-, 3-grams) of every feature, in text order
    /// (n-grams made only of spaces are skipped).
    @inline(__always) static func forEachFeature(_ mapped: ArraySlice<UInt32>, _ body: (Int, Int) -> Void) {
        let shift = UInt64(64 - bucketBits)
        var a: UInt32 = 0x20, b: UInt32 = 0x20
        for c in mapped {
            if c != 0x20 { body(Int(fmix64(UInt64(c) &* 0x9E37_79B9) >> shift), 0) }
            if !(b == 0x20 && c == 0x20) {
                body(Int(fmix64((UInt64(b) << 21 | UInt64(c)) &* 0xC2B2_AE3D_27D4_EB4F &+ 2) >> shift), 1)
                body(Int(fmix64((UInt64(a) << 42 | UInt64(b) << 21 | UInt64(c)) &+ 3) >> shift), 2)
            }
            a = b; b = c
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
