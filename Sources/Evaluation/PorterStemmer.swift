/// The Porter stemmer as NLTK implements it in its default mode (`PorterStemmer()`, mode
/// `NLTK_EXTENSIONS`), which `rouge_score` uses: Porter (1980) steps 1a–5b with Martin Porter's
/// later changes and NLTK's (a pool of irregular forms, "ies"/"ied" on four-letter words, y → i only
/// after a consonant that is not the whole stem, "alli", "fulli" and "logi" in step 2, a two-letter
/// vc stem counting as *o). For lowercase ASCII words, which is what ROUGE's tokenizer produces.
/// Checked against NLTK through rouge_score's stemmed scores on fixtures.
public enum PorterStemmer {
    public static func stem(_ word: String) -> String {
        if let irregular = pool[word] { return irregular }
        guard word.utf8.count > 2 else { return word }
        var w = Array(word.utf8)
        w = step1a(w); w = step1b(w); w = step1c(w); w = step2(w); w = step3(w); w = step4(w); w = step5a(w); w = step5b(w)
        return String(decoding: w, as: UTF8.self)
    }

    private static let pool: [String: String] = {
        let forms = ["sky": ["sky", "skies"], "die": ["dying"], "lie": ["lying"], "tie": ["tying"], "news": ["news"],
                     "inning": ["innings", "inning"], "outing": ["outings", "outing"], "canning": ["cannings", "canning"],
                     "howe": ["howe"], "proceed": ["proceed"], "exceed": ["exceed"], "succeed": ["succeed"]]
        var pool: [String: String] = [:]
        for (key, values) in forms { for v in values { pool[v] = key } }
        return pool
    }()

    // MARK: - Letters and measure

    private static func isVowel(_ c: UInt8) -> Bool { c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 }   // a e i o u

    /// Consonant flags: a letter other than a vowel, and y when not preceded by a consonant.
    private static func consonants(_ w: ArraySlice<UInt8>) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(w.count)
        for (i, c) in w.enumerated() {
            if isVowel(c) { flags.append(false) } else if c == 0x79 { flags.append(i == 0 ? true : !flags[i - 1]) } else { flags.append(true) }
        }
        return flags
    }

    private static func isConsonant(_ w: ArraySlice<UInt8>, _ i: Int) -> Bool { consonants(w[w.startIndex...(w.startIndex + i)]).last! }

    /// m in [C](VC){m}[V].
    private static func measure(_ w: ArraySlice<UInt8>) -> Int {
        let flags = consonants(w)
        var m = 0
        for i in flags.indices.dropFirst() where !flags[i - 1] && flags[i] { m += 1 }
        return m
    }

    private static func containsVowel(_ w: ArraySlice<UInt8>) -> Bool { consonants(w).contains(false) }

    private static func endsDoubleConsonant(_ w: ArraySlice<UInt8>) -> Bool {
        w.count >= 2 && w[w.endIndex - 1] == w[w.endIndex - 2] && isConsonant(w, w.count - 1)
    }

    /// *o: ends consonant-vowel-consonant, the last not w, x or y; or (NLTK) is a two-letter vowel-consonant word.
    private static func endsCVC(_ w: ArraySlice<UInt8>) -> Bool {
        let n = w.count
        if n >= 3 {
            let flags = consonants(w)
            let last = w[w.endIndex - 1]
            if flags[n - 3] && !flags[n - 2] && flags[n - 1] && last != 0x77 && last != 0x78 && last != 0x79 { return true }
        }
        if n == 2 {
            let flags = consonants(w)
            return !flags[0] && flags[1]
        }
        return false
    }

    // MARK: - Rules

    private enum Condition {
        case none, positiveMeasure, measureAbove1, custom((ArraySlice<UInt8>) -> Bool)
        func holds(_ stem: ArraySlice<UInt8>) -> Bool {
            switch self {
            case .none: return true
            case .positiveMeasure: return measure(stem) > 0
            case .measureAbove1: return measure(stem) > 1
            case .custom(let f): return f(stem)
            }
        }
    }

    private struct Rule {
        var suffix: [UInt8]
        var replacement: [UInt8]
        var condition: Condition
        /// NLTK's "*d": the word ends in a double consonant; the stem drops both letters.
        var doubleConsonant = false
        init(_ suffix: String, _ replacement: String, _ condition: Condition = .none, doubleConsonant: Bool = false) {
            self.suffix = Array(suffix.utf8); self.replacement = Array(replacement.utf8); self.condition = condition
            self.doubleConsonant = doubleConsonant
        }
    }

    private static func ends(_ w: [UInt8], _ suffix: [UInt8]) -> Bool { w.count >= suffix.count && w.suffix(suffix.count).elementsEqual(suffix) }

    /// The first rule whose suffix the word has decides: its replacement if the condition holds, else the word unchanged.
    private static func apply(_ w: [UInt8], _ rules: [Rule]) -> [UInt8] {
        for rule in rules {
            if rule.doubleConsonant {
                guard endsDoubleConsonant(w[...]) else { continue }
                let stem = w.dropLast(2)
                return rule.condition.holds(stem) ? Array(stem) + rule.replacement : w
            }
            if ends(w, rule.suffix) {
                let stem = w.dropLast(rule.suffix.count)
                return rule.condition.holds(stem) ? Array(stem) + rule.replacement : w
            }
        }
        return w
    }

    private static func step1a(_ w: [UInt8]) -> [UInt8] {
        if ends(w, Array("ies".utf8)) && w.count == 4 { return Array(w.dropLast(3)) + Array("ie".utf8) }
        return apply(w, [Rule("sses", "ss"), Rule("ies", "i"), Rule("ss", "ss"), Rule("s", "")])
    }

    private static func step1b(_ w: [UInt8]) -> [UInt8] {
        if ends(w, Array("ied".utf8)) { return Array(w.dropLast(3)) + Array((w.count == 4 ? "ie" : "i").utf8) }
        if ends(w, Array("eed".utf8)) {
            let stem = w.dropLast(3)
            return measure(stem) > 0 ? Array(stem) + Array("ee".utf8) : w
        }
        var intermediate: [UInt8]?
        for suffix in ["ed", "ing"] where ends(w, Array(suffix.utf8)) {
            let stem = w.dropLast(suffix.utf8.count)
            if containsVowel(stem) { intermediate = Array(stem); break }
        }
        guard let stem = intermediate else { return w }
        let last = stem.last ?? 0
        return apply(stem, [Rule("at", "ate"), Rule("bl", "ble"), Rule("iz", "ize"),
                            Rule("", String(UnicodeScalar(last)), .custom { _ in last != 0x6C && last != 0x73 && last != 0x7A }, doubleConsonant: true),
                            Rule("", "e", .custom { measure($0) == 1 && endsCVC($0) })])
    }

    private static func step1c(_ w: [UInt8]) -> [UInt8] {
        apply(w, [Rule("y", "i", .custom { $0.count > 1 && isConsonant($0, $0.count - 1) })])
    }

    private static func step2(_ w: [UInt8]) -> [UInt8] {
        if ends(w, Array("alli".utf8)), measure(w.dropLast(4)) > 0 { return step2(Array(w.dropLast(4)) + Array("al".utf8)) }
        let rules: [Rule] = [
            Rule("ational", "ate", .positiveMeasure), Rule("tional", "tion", .positiveMeasure), Rule("enci", "ence", .positiveMeasure),
            Rule("anci", "ance", .positiveMeasure), Rule("izer", "ize", .positiveMeasure), Rule("bli", "ble", .positiveMeasure),
            Rule("alli", "al", .positiveMeasure), Rule("entli", "ent", .positiveMeasure), Rule("eli", "e", .positiveMeasure),
            Rule("ousli", "ous", .positiveMeasure), Rule("ization", "ize", .positiveMeasure), Rule("ation", "ate", .positiveMeasure),
            Rule("ator", "ate", .positiveMeasure), Rule("alism", "al", .positiveMeasure), Rule("iveness", "ive", .positiveMeasure),
            Rule("fulness", "ful", .positiveMeasure), Rule("ousness", "ous", .positiveMeasure), Rule("aliti", "al", .positiveMeasure),
            Rule("iviti", "ive", .positiveMeasure), Rule("biliti", "ble", .positiveMeasure), Rule("fulli", "ful", .positiveMeasure),
            // NLTK measures the word less its last three letters here, not the stem less "logi".
            Rule("logi", "log", .custom { _ in measure(w.dropLast(3)) > 0 }),
        ]
        return apply(w, rules)
    }

    private static func step3(_ w: [UInt8]) -> [UInt8] {
        apply(w, [Rule("icate", "ic", .positiveMeasure), Rule("ative", "", .positiveMeasure), Rule("alize", "al", .positiveMeasure),
                  Rule("iciti", "ic", .positiveMeasure), Rule("ical", "ic", .positiveMeasure), Rule("ful", "", .positiveMeasure),
                  Rule("ness", "", .positiveMeasure)])
    }

    private static func step4(_ w: [UInt8]) -> [UInt8] {
        apply(w, [Rule("al", "", .measureAbove1), Rule("ance", "", .measureAbove1), Rule("ence", "", .measureAbove1),
                  Rule("er", "", .measureAbove1), Rule("ic", "", .measureAbove1), Rule("able", "", .measureAbove1),
                  Rule("ible", "", .measureAbove1), Rule("ant", "", .measureAbove1), Rule("ement", "", .measureAbove1),
                  Rule("ment", "", .measureAbove1), Rule("ent", "", .measureAbove1),
                  Rule("ion", "", .custom { measure($0) > 1 && ($0.last == 0x73 || $0.last == 0x74) }),
                  Rule("ou", "", .measureAbove1), Rule("ism", "", .measureAbove1), Rule("ate", "", .measureAbove1),
                  Rule("iti", "", .measureAbove1), Rule("ous", "", .measureAbove1), Rule("ive", "", .measureAbove1),
                  Rule("ize", "", .measureAbove1)])
    }

    private static func step5a(_ w: [UInt8]) -> [UInt8] {
        guard w.last == 0x65 else { return w }   // e
        let stem = w.dropLast()
        let m = measure(stem)
        return m > 1 || (m == 1 && !endsCVC(stem)) ? Array(stem) : w
    }

    private static func step5b(_ w: [UInt8]) -> [UInt8] {
        apply(w, [Rule("ll", "l", .custom { _ in measure(w.dropLast()) > 1 })])
    }
}
