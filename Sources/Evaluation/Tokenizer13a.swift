/// The `13a` tokenizer of sacrebleu 2.x (`sacrebleu/tokenizers/tokenizer_13a.py` followed by
/// `tokenizer_re.py`), itself a re-implementation of the tokenizer in WMT's `mteval-v13a.pl`.
///
/// Steps, in order, on the string as a sequence of Unicode scalars (Python code points):
/// 1. remove every `<skipped>`; remove every `-\n` (joins hyphenated line breaks); `\n` → space;
/// 2. replace the entities `&quot;` `&amp;` `&lt;` `&gt;` one after the other (so `&amp;lt;` ends as `<`);
/// 3. pad the line with one space on each side and apply the four `TokenizerRegexp` rules
///    (see `RegexpRules`);
/// 4. split on Python whitespace and re-join with single spaces.
///
/// Everything works on scalars, never on Swift `Character`s, because the reference is Python:
/// a combining accent is its own code point there, and `"é"` (U+00E9) and `"e\u{301}"` are different
/// tokens. Results are returned as token arrays of scalars so callers can compare them exactly
/// (Swift's `String ==` would treat canonically equivalent strings as equal).
public struct Tokenizer13a: Sendable {
    /// The tokenizer's name in sacrebleu signatures (`tok:13a`).
    public static let signatureName = "13a"

    public init() {}

    /// The tokenized line, tokens separated by one space: the same as sacrebleu's `Tokenizer13a()(line)`.
    public func callAsFunction(_ line: String) -> String {
        var result = String.UnicodeScalarView()
        for (index, token) in scalarTokens(Array(line.unicodeScalars)).enumerated() {
            if index > 0 { result.append(" ") }
            result.append(contentsOf: token)
        }
        return String(result)
    }

    /// The tokens of `line`, each a sequence of Unicode scalars.
    public func scalarTokens(_ line: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var text = line
        text = text.replacingAll(Self.skippedMarker, with: [])
        text = text.replacingAll(Self.hyphenatedLineBreak, with: [])
        text = text.replacingAll(Self.newline, with: [" "])
        if text.contains("&") {
            for (entity, replacement) in Self.entities {
                text = text.replacingAll(entity, with: replacement)
            }
        }
        let padded: [Unicode.Scalar] = [" "] + text + [" "]
        return PythonWhitespace.split(RegexpRules.apply(padded))
    }

    private static let skippedMarker = Array("<skipped>".unicodeScalars)
    private static let hyphenatedLineBreak = Array("-\n".unicodeScalars)
    private static let newline = Array("\n".unicodeScalars)
    /// Applied in this order, each over the whole line, exactly as `Tokenizer13a.__call__` does.
    private static let entities: [([Unicode.Scalar], [Unicode.Scalar])] = [
        (Array("&quot;".unicodeScalars), ["\""]),
        (Array("&amp;".unicodeScalars), ["&"]),
        (Array("&lt;".unicodeScalars), ["<"]),
        (Array("&gt;".unicodeScalars), [">"]),
    ]
}

extension Array where Element == Unicode.Scalar {
    /// Python's `str.replace(old, new)`: every non-overlapping occurrence, scanning left to right.
    func replacingAll(_ pattern: [Unicode.Scalar], with replacement: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !pattern.isEmpty, count >= pattern.count else { return self }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(count)
        var index = 0
        while index < count {
            if index + pattern.count <= count, self[index..<(index + pattern.count)].elementsEqual(pattern) {
                result.append(contentsOf: replacement)
                index += pattern.count
            } else {
                result.append(self[index])
                index += 1
            }
        }
        return result
    }
}
