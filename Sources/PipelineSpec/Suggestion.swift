/// "Did you mean …?" for unknown keys, kinds and references.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
    /// Words longer than `maxLength` get no suggestion (nobody mistypes them; the distance table would be huge).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let maxLength = 128
        let letters = Array(word.lowercased())
        guard letters.count <= maxLength else { return nil }
        var best: (String, Int)?
        for candidate in candidates {
            // The distance is at least the length difference, and never more than 3 is accepted.
            guard candidate.utf8.count <= 4 * maxLength else { continue }
            let other = Array(candidate.lowercased())
            guard abs(other.count - letters.count) <= 3 else { continue }
            let d = editDistance(letters, other)
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let (candidate, distance) = best else { return nil }
        let allowed = max(1, min(3, candidate.count / 3))
        return distance <= allowed ? candidate : nil
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions ("dpes" → "deps") each cost 1.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
