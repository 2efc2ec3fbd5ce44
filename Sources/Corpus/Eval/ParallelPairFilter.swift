/// Keeps aligned segment pairs that look like real translations (after the data README, §4a):
/// source 15–500 characters, target 5–700 and different from the source, not just symbols; for
/// languages in a distinctive script at least 30% of the target's word characters are in that script,
/// otherwise the length ratio is within 0.5–2.5; and the numbers in both sides agree.
enum ParallelPairFilter {
    private static let scriptRanges: [String: [ClosedRange<UInt32>]] = [
        "ar": [0x0600...0x06FF], "fa": [0x0600...0x06FF], "ur": [0x0600...0x06FF],
        "hi": [0x0900...0x097F], "mr": [0x0900...0x097F], "bn": [0x0980...0x09FF], "as": [0x0980...0x09FF],
        "ta": [0x0B80...0x0BFF], "gu": [0x0A80...0x0AFF], "te": [0x0C00...0x0C7F], "he": [0x0590...0x05FF],
        "zh": [0x4E00...0x9FFF], "ja": [0x3040...0x30FF, 0x4E00...0x9FFF], "ko": [0xAC00...0xD7AF],
        "ru": [0x0400...0x04FF], "uk": [0x0400...0x04FF], "sr": [0x0400...0x04FF], "el": [0x0370...0x03FF],
    ]

    /// True when (`source` in English, `target` in `language`) is a usable evaluation pair.
    static func accept(source: String, target: String, language: String) -> Bool {
        let s = Array(source.unicodeScalars), t = Array(target.unicodeScalars)
        guard source != target, (15...500).contains(s.count), (5...700).contains(t.count) else { return false }
        guard s.contains(where: { ScalarTables.classOf($0.value).contains(.letter) }) else { return false }
        let wordChars = t.filter { ScalarTables.classOf($0.value).contains(.letter) }
        if let ranges = scriptRanges[language] {
            let inScript = wordChars.filter { c in ranges.contains { $0.contains(c.value) } }.count
            if Double(inScript) < 0.3 * Double(wordChars.count) || wordChars.isEmpty { return false }
        } else {
            let ratio = Double(t.count) / Double(s.count)
            if !(0.5...2.5).contains(ratio) { return false }
        }
        let sourceNumbers = numbers(s), targetNumbers = numbers(t)
        if !targetNumbers.isEmpty || !["ar", "fa", "ur", "hi", "mr", "bn"].contains(language) {
            if sourceNumbers != targetNumbers { return false }
        }
        return true
    }

    /// The ASCII digit runs of a text, sorted (order may change in translation).
    private static func numbers(_ scalars: [Unicode.Scalar]) -> [String] {
        var runs: [String] = []
        var current = ""
        for c in scalars {
            if c.value >= 0x30 && c.value <= 0x39 { current.unicodeScalars.append(c) } else if !current.isEmpty { runs.append(current); current = "" }
        }
        if !current.isEmpty { runs.append(current) }
        return runs.sorted()
    }
}
