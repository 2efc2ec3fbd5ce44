/// KEY: strings mixing letters with digits or symbols, like API keys, hashes and card numbers.
///
/// Two shapes, after the reference regex:
/// 1. at least four chunks alternating ASCII letters and runs of digits, dashes, `/ + = :` (and `_`
///    after letters) — e.g. `a1b2-c3d4-e5f6-g7h8`;
/// 2. at least three groups of (3+ digits | capitals+digits[+capitals] | digits+capitals[+digits]),
///    separated by an optional space or dash — e.g. `4111 1111 1111 1111`, `AB12 CD34 EF56`.
/// Beyond the reference (whose data was web text, not documentation): shape-1 matches must contain a
/// digit and must not start with `/` or `~` (file paths such as `/usr/share/doc/foo` are not keys);
/// shape-2 matches that are only years (`1999 2000 2001`) or digit groups of exactly three
/// (`1 000 000`-style thousands) are not keys; date-shaped matches are screened.
enum KeyDetector {
    private static let leftSet: StaticString = "@?,!:;'\")(."
    private static let rightSet: StaticString = "@?,!;:'\")(."

    static func keys(_ t: UnsafeBufferPointer<UInt32>, into matches: inout [PIIMatch]) {
        var i = 0
        while i < t.count {
            let c = t[i]
            guard (PIIChars.isASCIILetter(c) || PIIChars.isDigit(c) || isSymbol(c, afterLetters: false) || c == 0x5F),
                  PIIChars.leftOK(t, i, leftSet) else { i += 1; continue }
            var end = alternating(t, i)
            if end == nil { end = groups(t, i) }
            if let end, end > i, !PIIChars.looksLikeDate(t[i..<end]) {
                matches.append(PIIMatch(tag: .key, start: i, end: end))
                i = end
            } else {
                i += 1
            }
        }
    }

    /// `[\p{Nd}\p{Pd}/+=:]` (and `_` when the chunk follows letters).
    @inline(__always) private static func isSymbol(_ c: UInt32, afterLetters: Bool) -> Bool {
        PIIChars.isDigit(c) || PIIChars.isDash(c) || c == 0x2F || c == 0x2B || c == 0x3D || c == 0x3A || (afterLetters && c == 0x5F)
    }

    /// Shape 1, by dynamic programming over positions: the furthest end reachable with ≥ 4 chunks
    /// that is followed by a boundary.
    private static func alternating(_ t: UnsafeBufferPointer<UInt32>, _ start: Int) -> Int? {
        var limit = start
        while limit < t.count, limit - start < 512, PIIChars.isASCIILetter(t[limit]) || isSymbol(t[limit], afterLetters: true) { limit += 1 }
        guard limit - start >= 8, t[start] != 0x2F, t[start] != 0x7E else { return nil }
        guard (start..<limit).contains(where: { PIIChars.isASCIILetter(t[$0]) }),
              (start..<limit).contains(where: { PIIChars.isDigit(t[$0]) }) else { return nil }
        // pairs[p] = max chunks (capped at 4) that end exactly at p, or -1.
        var pairs = [Int](repeating: -1, count: limit - start + 1)
        pairs[0] = 0
        var best: Int? = nil
        for p in start..<limit {
            let have = pairs[p - start]
            guard have >= 0 else { continue }
            // Letters then symbols (symbols may include `_`).
            var q = p
            while q < limit, PIIChars.isASCIILetter(t[q]) { q += 1 }
            if q > p {
                var r = q
                while r < limit, isSymbol(t[r], afterLetters: true) {
                    r += 1
                    pairs[r - start] = max(pairs[r - start], min(4, have + 1))
                }
            }
            // Symbols (no `_`) then letters.
            q = p
            while q < limit, isSymbol(t[q], afterLetters: false) { q += 1 }
            if q > p, q < limit, PIIChars.isASCIILetter(t[q]) {
                var r = q
                while r < limit, PIIChars.isASCIILetter(t[r]) {
                    r += 1
                    pairs[r - start] = max(pairs[r - start], min(4, have + 1))
                }
            }
        }
        for p in stride(from: limit, through: start + 1, by: -1) where pairs[p - start] >= 4 && PIIChars.rightOK(t, p, rightSet) {
            if (start..<p).contains(where: { PIIChars.isDigit(t[$0]) }) { best = p }
            break
        }
        return best
    }

    /// Shape 2: groups with optional single space/dash separators; the longest run of ≥ 3 groups
    /// ending at a boundary.
    private static func groups(_ t: UnsafeBufferPointer<UInt32>, _ start: Int) -> Int? {
        var i = start
        var count = 0
        var candidates: [Int] = []
        var onlyYears = true, onlyTriples = true
        while i < t.count, count < 64 {
            let groupStart = i
            var digits = 0, upper = 0
            while i < t.count, PIIChars.isDigit(t[i]) { i += 1; digits += 1 }
            if digits > 0 {
                // digits{3,} | digits+ CAPS+ digits*
                var u = i
                while u < t.count, PIIChars.isUpper(t[u]) { u += 1 }
                if u > i {
                    upper = u - i; i = u
                    while i < t.count, PIIChars.isDigit(t[i]) { i += 1 }
                } else if digits < 3 {
                    i = groupStart; break
                }
            } else {
                while i < t.count, PIIChars.isUpper(t[i]) { i += 1; upper += 1 }
                guard upper > 0 else { break }
                var d = i
                while d < t.count, PIIChars.isDigit(t[d]) { d += 1 }
                guard d > i else { i = groupStart; break }
                i = d
                while i < t.count, PIIChars.isUpper(t[i]) { i += 1 }
            }
            count += 1
            let text = t[groupStart..<i]
            let isYear = text.count == 4 && text.allSatisfy { PIIChars.isDigit($0) } && (text.first! == 0x31 || text.first! == 0x32)
            if !isYear { onlyYears = false }
            if !(text.count == 3 && text.allSatisfy { PIIChars.isDigit($0) }) { onlyTriples = false }
            if count >= 3, PIIChars.rightOK(t, i, rightSet) { candidates.append(i) }
            if i < t.count, t[i] == 0x20 || PIIChars.isDash(t[i]) {
                if count >= 3, PIIChars.rightOK(t, i + 1, rightSet) { candidates.append(i + 1) }
                i += 1
            } else {
                break
            }
        }
        guard let end = candidates.max(), !onlyYears, !onlyTriples else { return nil }
        // A trailing separator is not part of the key.
        var e = end
        while e > start, t[e - 1] == 0x20 { e -= 1 }
        return e
    }
}
