/// The four substitution rules of sacrebleu's `TokenizerRegexp` (`sacrebleu/tokenizers/tokenizer_re.py`),
/// applied one after the other to the whole line, each with `re.sub` semantics: the leftmost
/// non-overlapping matches, scanning resumes after the end of each match.
///
/// 1. `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 `: pad ASCII punctuation and symbols, i.e. every scalar in
///    U+0020…U+0026, U+0028…U+002B, U+002F, U+003A…U+0040, U+005B…U+0060, U+007B…U+007E
///    (not `'`, `,`, `-`, `.`).
/// 2. `([^0-9])([\.,])` → `\1 \2 `: split a period or comma that follows a non-digit.
/// 3. `([\.,])([^0-9])` → ` \1 \2`: split a period or comma that precedes a non-digit.
/// 4. `([0-9])(-)` → `\1 \2 `: split a dash that follows a digit.
///
/// `[0-9]` is ASCII only in Python's `re` (an explicit range), so Arabic-Indic or full-width digits
/// count as non-digits; `[^0-9]` also matches newlines and every other scalar.
enum RegexpRules {
    static func apply(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var text = padPunctuation(line)
        // Rule 2: non-digit followed by period/comma.
        text = substitutePairs(text, matches: { !isDigit($0) && isPeriodOrComma($1) },
                               replacement: { [$0, " ", $1, " "] })
        // Rule 3: period/comma followed by non-digit.
        text = substitutePairs(text, matches: { isPeriodOrComma($0) && !isDigit($1) },
                               replacement: { [" ", $0, " ", $1] })
        // Rule 4: digit followed by a dash.
        text = substitutePairs(text, matches: { isDigit($0) && $1 == "-" },
                               replacement: { [$0, " ", $1, " "] })
        return text
    }

    /// Rule 1: a single-scalar pattern, so every occurrence is replaced independently.
    static func padPunctuation(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count * 2)
        for scalar in line {
            if isPaddedPunctuation(scalar) {
                result.append(" ")
                result.append(scalar)
                result.append(" ")
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// `re.sub` for a two-scalar pattern: on a match at `i`, emit the replacement and continue at `i + 2`;
    /// otherwise copy scalar `i` and continue at `i + 1`.
    static func substitutePairs(
        _ line: [Unicode.Scalar],
        matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
        replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]
    ) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count + line.count / 2)
        var index = 0
        while index < line.count {
            if index + 1 < line.count, matches(line[index], line[index + 1]) {
                result.append(contentsOf: replacement(line[index], line[index + 1]))
                index += 2
            } else {
                result.append(line[index])
                index += 1
            }
        }
        return result
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(scalar.value)
    }

    static func isPeriodOrComma(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == ","
    }

    static func isPaddedPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x26, 0x28...0x2B, 0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E:
            return true
        default:
            return false
        }
    }
}
