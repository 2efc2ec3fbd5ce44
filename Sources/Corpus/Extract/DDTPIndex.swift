/// Parses an apt `Translation-<l>` index: RFC-822 stanzas with `Package`, `Description-md5` and
/// `Description-<l>` (first line = synopsis; continuation lines = long description, ` .` = paragraph break).
struct DDTPIndex {
    struct Entry: Equatable {
        var package: String
        var md5: String
        var synopsis: String
        var paragraphs: [String]

        /// Synopsis, blank line, paragraphs separated by blank lines.
        var text: String { ([synopsis] + paragraphs).joined(separator: "\n\n") }
        /// The long description alone.
        var body: String { paragraphs.joined(separator: "\n\n") }
    }

    /// Entries in file order; stanzas without a description are skipped.
    static func parse(_ text: String) -> [Entry] { parse(bytes: Array(text.utf8)) }

    /// Byte-level parser (the indexes are tens of megabytes; `String` splitting is far slower).
    static func parse(bytes: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        var package = "", md5 = ""
        var synopsis: String? = nil
        var paragraphs: [String] = []
        var paragraph: [UInt8] = []
        var inDescription = false

        func endParagraph() {
            let text = collapse(paragraph)
            if !text.isEmpty { paragraphs.append(text) }
            paragraph.removeAll(keepingCapacity: true)
        }
        func endStanza() {
            endParagraph()
            if let synopsis, !md5.isEmpty { entries.append(Entry(package: package, md5: md5, synopsis: synopsis, paragraphs: paragraphs)) }
            package = ""; md5 = ""; synopsis = nil; paragraphs = []; inDescription = false
        }

        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                var end = i
                while end < b.count, b[end] != 0x0A { end += 1 }
                let line = UnsafeBufferPointer(rebasing: b[i..<end])
                i = end + 1
                if line.isEmpty { endStanza(); continue }
                if line[0] == 0x20 || line[0] == 0x09 {
                    guard inDescription else { continue }
                    let rest = UnsafeBufferPointer(rebasing: line[1...])
                    if trimmed(rest).elementsEqual([0x2E]) {
                        endParagraph()
                    } else {
                        if !paragraph.isEmpty { paragraph.append(0x20) }
                        paragraph.append(contentsOf: rest)
                    }
                    continue
                }
                inDescription = false
                guard let colon = line.firstIndex(of: 0x3A) else { continue }
                let key = String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
                let value = String(decoding: trimmed(UnsafeBufferPointer(rebasing: line[(colon + 1)...])), as: UTF8.self)
                if key == "Package" {
                    package = value
                } else if key == "Description-md5" {
                    md5 = value
                } else if key.hasPrefix("Description-") {
                    inDescription = true
                    synopsis = value
                    paragraphs = []
                    paragraph.removeAll(keepingCapacity: true)
                }
            }
        }
        endStanza()
        return entries
    }

    private static func trimmed(_ s: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var a = s.startIndex, e = s.endIndex
        while a < e, s[a] == 0x20 || s[a] == 0x09 || s[a] == 0x0D { a += 1 }
        while e > a, s[e - 1] == 0x20 || s[e - 1] == 0x09 || s[e - 1] == 0x0D { e -= 1 }
        return s[a..<e]
    }

    /// Runs of spaces and tabs become one space; trimmed.
    private static func collapse(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var space = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 || byte == 0x0D { space = !out.isEmpty; continue }
            if space { out.append(0x20); space = false }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
