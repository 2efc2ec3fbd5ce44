/// Pulls the text "items" (paragraphs, headings, table cells, list items) out of HTML or Mallard XML,
/// in document order. Translated documentation keeps the same item sequence in every language, so
/// item lists of two languages of one file align one-to-one when their counts match.
///
/// A tolerant byte scanner, not a DOM: comments, doctype and processing instructions are skipped,
/// `skip` elements are dropped with their content, text goes to the innermost open item, and
/// entities are decoded. Nested items (a `<p>` inside a `<td>`) give one item each, without duplication.
struct MarkupItems {
    /// Element names that start an item.
    var itemTags: Set<String>
    /// Elements dropped with their content.
    var skipTags: Set<String>
    /// Publican/DocBook: a `<div class="para">` is an item too.
    var paraDivs: Bool

    /// LibreOffice help and Publican HTML.
    static let html = MarkupItems(itemTags: ["p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "li", "pre"],
                                  skipTags: ["script", "style", "head", "noscript"], paraDivs: true)
    /// GNOME Mallard pages (`<info>` holds credits and licence boilerplate).
    static let mallard = MarkupItems(itemTags: ["p", "title", "desc", "td", "item"], skipTags: ["info", "comment"], paraDivs: false)

    private struct Frame { var tag: String; var buffer: Int? }

    /// The items of one file, whitespace-collapsed, empty ones dropped; `pre` blocks are not items.
    func items(_ bytes: [UInt8]) -> [String] {
        var items: [String] = []
        var buffers: [[UInt8]] = []
        var stack: [Frame] = []
        var skipTag: String? = nil
        var skipDepth = 0
        var i = 0
        let n = bytes.count

        func innermostBuffer() -> Int? {
            for frame in stack.reversed() { if let b = frame.buffer { return b } }
            return nil
        }
        func close(_ frame: Frame) {
            guard let b = frame.buffer else { return }
            if frame.tag != "pre" {
                let text = Self.clean(buffers[b])
                if !text.isEmpty { items.append(text) }
            }
            buffers[b].removeAll()
        }

        while i < n {
            let byte = bytes[i]
            if byte != 0x3C {  // text
                let start = i
                while i < n, bytes[i] != 0x3C { i += 1 }
                if skipDepth == 0, let b = innermostBuffer() { buffers[b].append(contentsOf: bytes[start..<i]) }
                continue
            }
            // Comments, doctype, CDATA-less declarations, processing instructions.
            if i + 3 < n, bytes[i + 1] == 0x21, bytes[i + 2] == 0x2D, bytes[i + 3] == 0x2D {
                i = Self.find([0x2D, 0x2D, 0x3E], in: bytes, from: i + 4).map { $0 + 3 } ?? n
                continue
            }
            if i + 1 < n, bytes[i + 1] == 0x21 || bytes[i + 1] == 0x3F {
                i = Self.tagEnd(bytes, from: i + 1) + 1
                continue
            }
            let closing = i + 1 < n && bytes[i + 1] == 0x2F
            var j = i + (closing ? 2 : 1)
            let nameStart = j
            while j < n, Self.isNameByte(bytes[j]) { j += 1 }
            if j == nameStart {  // a stray '<' is text
                if skipDepth == 0, let b = innermostBuffer() { buffers[b].append(0x3C) }
                i += 1
                continue
            }
            var name = String(decoding: bytes[nameStart..<j], as: UTF8.self).lowercased()
            if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
            let end = Self.tagEnd(bytes, from: j)
            let selfClosing = end > 0 && end < n && bytes[end - 1] == 0x2F
            let attributes = bytes[j..<min(end, n)]
            i = end + 1

            if let skipping = skipTag {
                if name == skipping && !selfClosing { skipDepth += closing ? -1 : 1 }
                if skipDepth == 0 { skipTag = nil }
                continue
            }
            if closing {
                guard let index = stack.lastIndex(where: { $0.tag == name }), stack.count - index <= 6 else { continue }
                while stack.count > index { close(stack.removeLast()) }
                continue
            }
            if selfClosing {
                if name == "br", let b = innermostBuffer() { buffers[b].append(0x20) }
                continue
            }
            if skipTags.contains(name) { skipTag = name; skipDepth = 1; continue }
            if name == "br" { if let b = innermostBuffer() { buffers[b].append(0x20) }; continue }
            if itemTags.contains(name) || (paraDivs && name == "div" && Self.hasClass("para", attributes)) {
                // A new item closes an unterminated item of the same tag (`<li>…<li>`).
                if name != "div", let top = stack.last, top.tag == name, top.buffer != nil { close(stack.removeLast()) }
                buffers.append([])
                stack.append(Frame(tag: name, buffer: buffers.count - 1))
            } else if name == "div" {
                stack.append(Frame(tag: name, buffer: nil))
            }
        }
        while let frame = stack.popLast() { close(frame) }
        return items
    }

    // MARK: - Scanning helpers

    @inline(__always) private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x3A || b == 0x2D || b == 0x5F
    }

    /// Index of the `>` closing a tag that starts before `from`, honouring quoted attribute values.
    private static func tagEnd(_ bytes: [UInt8], from: Int) -> Int {
        var i = from
        var quote: UInt8 = 0
        while i < bytes.count {
            let b = bytes[i]
            if quote != 0 { if b == quote { quote = 0 } } else if b == 0x22 || b == 0x27 { quote = b } else if b == 0x3E { return i }
            i += 1
        }
        return bytes.count
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// True when the attribute text has `class="… word …"`.
    private static func hasClass(_ word: String, _ attributes: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: attributes, as: UTF8.self)
        guard let range = text.range(of: "class=") else { return false }
        var rest = text[range.upperBound...]
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return false }
        rest = rest.dropFirst()
        let value = rest.prefix { $0 != quote }
        return value.split(separator: " ").contains { $0 == word }
    }

    /// Decodes entities and collapses whitespace runs to one space; trims.
    static func clean(_ raw: [UInt8]) -> String {
        let decoded = raw.contains(0x26) ? decodeEntities(String(decoding: raw, as: UTF8.self)) : String(decoding: raw, as: UTF8.self)
        let tables = ScalarTables.shared
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decoded.unicodeScalars {
            if tables.cls(scalar.value).contains(.whitespace) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "ndash": "–", "mdash": "—",
        "hellip": "…", "laquo": "«", "raquo": "»", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "copy": "©", "reg": "®", "trade": "™", "middot": "·", "bull": "•", "rarr": "→", "larr": "←", "times": "×", "deg": "°",
    ]

    static func decodeEntities(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(10).firstIndex(of: ";") else { out += "&"; rest = after; continue }
            let name = after[..<semicolon]
            var replacement: String? = namedEntities[String(name)]
            if replacement == nil, name.hasPrefix("#") {
                let digits = name.dropFirst()
                let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                if let value, let scalar = Unicode.Scalar(value) { replacement = String(Character(scalar)) }
            }
            if let replacement {
                out += replacement
                rest = after[after.index(after: semicolon)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }
}
