/// A small well-formedness check for the renderer's output: every element opened is closed in
/// order (void HTML elements and `/>` excepted), every attribute quote is closed, `<style>` content
/// is skipped as raw text, and `&` only starts one of the character references the escaper writes.
/// Returns the first problem found, or nil.
func markupProblem(_ markup: String) -> String? {
    let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"]
    let text = Array(markup.unicodeScalars)
    var open: [String] = []
    var i = 0
    func starts(_ s: String, at k: Int) -> Bool {
        let p = Array(s.unicodeScalars)
        return k + p.count <= text.count && Array(text[k..<(k + p.count)]) == p
    }
    func find(_ s: String, from k: Int) -> Int? {
        var j = k
        while j < text.count { if starts(s, at: j) { return j }; j += 1 }
        return nil
    }
    while i < text.count {
        let ch = text[i]
        if ch == "&" {
            guard let end = find(";", from: i), end - i <= 8 else { return "bare & at \(i)" }
            let entity = String(String.UnicodeScalarView(text[i...end]))
            let allowed = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
            guard allowed.contains(entity) || entity.hasPrefix("&#") else { return "unexpected entity \(entity)" }
            i = end + 1
            continue
        }
        if ch == ">" { return "stray > at \(i)" }
        guard ch == "<" else { i += 1; continue }
        if starts("<!--", at: i) {
            guard let end = find("-->", from: i) else { return "unclosed comment" }
            i = end + 3
            continue
        }
        if starts("<!", at: i) {
            guard let end = find(">", from: i) else { return "unclosed declaration" }
            i = end + 1
            continue
        }
        let closing = starts("</", at: i)
        var j = i + (closing ? 2 : 1)
        var name = ""
        while j < text.count, text[j].properties.isAlphabetic || ("0"..."9").contains(text[j]) || text[j] == "-" {
            name.unicodeScalars.append(text[j])
            j += 1
        }
        guard !name.isEmpty else { return "< not starting a tag at \(i)" }
        // Find the end of the tag, stepping over quoted attribute values.
        var quote: Unicode.Scalar?
        while j < text.count {
            if let q = quote { if text[j] == q { quote = nil } } else if text[j] == "\"" || text[j] == "'" { quote = text[j] } else if text[j] == ">" { break } else if text[j] == "<" { return "< inside tag <\(name)>" }
            j += 1
        }
        guard j < text.count else { return "unterminated tag <\(name)" }
        let selfClosing = text[j - 1] == "/"
        i = j + 1
        let lower = name.lowercased()
        if closing {
            guard let top = open.last else { return "</\(name)> with nothing open" }
            guard top == lower else { return "</\(name)> closes <\(top)>" }
            open.removeLast()
        } else if selfClosing || voidElements.contains(lower) {
            continue
        } else if lower == "style" || lower == "script" {
            guard let end = find("</\(lower)>", from: i) else { return "unclosed <\(lower)>" }
            i = end + lower.count + 3
        } else {
            open.append(lower)
        }
    }
    return open.isEmpty ? nil : "unclosed <\(open.last!)>"
}
