/// Python's `str` methods as prompt templates use them (whitespace = Unicode white space, as `str.isspace`).
public enum PythonText {
    /// `str.isspace` for one character (what `strip()`, `split()` and `\s` treat as white space).
    public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }

    static func strip(_ s: String, _ characters: String?, leading: Bool, trailing: Bool) -> String {
        let set = characters.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set?.contains(c) ?? isSpace(c) }
        var scalars = Substring(s).unicodeScalars[...]
        if leading { while let f = scalars.first, strippable(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, strippable(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    static func split(_ s: String, separator: String?, maxSplits: Int, at p: TemplatePosition) throws -> [String] {
        let scalars = Array(s.unicodeScalars)
        var parts: [String] = []
        guard let separator else {
            var i = 0
            while i < scalars.count {
                while i < scalars.count, isSpace(scalars[i]) { i += 1 }
                guard i < scalars.count else { break }
                if maxSplits >= 0 && parts.count == maxSplits {
                    var rest = Array(scalars[i...])
                    while let l = rest.last, isSpace(l) { rest.removeLast() }
                    parts.append(String(String.UnicodeScalarView(rest)))
                    break
                }
                let start = i
                while i < scalars.count, !isSpace(scalars[i]) { i += 1 }
                parts.append(String(String.UnicodeScalarView(scalars[start..<i])))
            }
            return parts
        }
        let sep = Array(separator.unicodeScalars)
        guard !sep.isEmpty else { throw p.error(.value, "empty separator") }
        var start = 0, i = 0
        while i + sep.count <= scalars.count {
            if (maxSplits < 0 || parts.count < maxSplits) && Array(scalars[i..<(i + sep.count)]) == sep {
                parts.append(String(String.UnicodeScalarView(scalars[start..<i])))
                i += sep.count; start = i
            } else { i += 1 }
        }
        parts.append(String(String.UnicodeScalarView(scalars[start...])))
        return parts
    }

    /// Python's `s.split(separator)[0]`: the text before the first occurrence (code points compared
    /// as they are, no Unicode normalisation), and whether there was one.
    public static func prefix(_ s: String, before separator: String) -> (text: String, found: Bool) {
        let scalars = Array(s.unicodeScalars), sep = Array(separator.unicodeScalars)
        guard !sep.isEmpty, sep.count <= scalars.count else { return (s, false) }
        for i in 0...(scalars.count - sep.count) where scalars[i] == sep[0] && Array(scalars[i..<(i + sep.count)]) == sep {
            return (String(String.UnicodeScalarView(scalars[..<i])), true)
        }
        return (s, false)
    }

    static func replace(_ s: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            return new + s.unicodeScalars.map { String($0) + new }.joined()
        }
        let scalars = Array(s.unicodeScalars), o = Array(old.unicodeScalars)
        var out = String.UnicodeScalarView(), i = 0
        while i < scalars.count {
            if i + o.count <= scalars.count && Array(scalars[i..<(i + o.count)]) == o { out.append(contentsOf: new.unicodeScalars); i += o.count }
            else { out.append(scalars[i]); i += 1 }
        }
        return String(out)
    }

    /// `str.capitalize()`: first character upper-cased, the rest lower-cased.
    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return String(first).uppercased() + s.dropFirst().lowercased()
    }

    /// `str.title()`: a cased character after an uncased one is upper-cased, others lower-cased.
    static func title(_ s: String) -> String {
        var out = "", previousCased = false
        for c in s {
            let cased = c.isCased
            out += previousCased ? c.lowercased() : c.uppercased()
            previousCased = cased
        }
        return out
    }

    /// Jinja's `title` filter: words split after runs of `-`, white space, `(`, `{`, `[`, `<`;
    /// each word's first character upper-cased, the rest lower-cased.
    static func jinjaTitle(_ s: String) -> String {
        var out = "", atWordStart = true
        for c in s {
            if c == "-" || c.isWhitespace || "({[<".contains(c) { out.append(c); atWordStart = true; continue }
            out += atWordStart ? c.uppercased() : c.lowercased()
            atWordStart = false
        }
        return out
    }
}

private extension Character {
    var isCased: Bool { isUppercase || isLowercase || (isLetter && uppercased() != lowercased()) }
}
