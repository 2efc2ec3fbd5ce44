import FileIO
import Foundation

/// Reads translated strings from gettext catalogs: compiled `.mo` (GNU format, either byte order) and
/// source `.po` files. Entries are (msgid, msgstr) pairs; the header entry (empty msgid), fuzzy `.po`
/// entries and untranslated ones are left out. Plural forms give their first form.
///
/// ```swift
/// let pairs = try GettextCatalog.read(path: "django/conf/locale/sw/LC_MESSAGES/django.po")
/// pairs.first  // (source: "Afrikaans", translation: "Kiafrikaani")
/// ```
enum GettextCatalog {
    struct Entry: Equatable { var source: String; var translation: String }

    static func read(path: String) throws -> [Entry] {
        guard let bytes = FileContents.read(path) else { throw CorpusError.io(path: path, detail: "cannot read catalog") }
        if path.hasSuffix(".mo") {
            guard let entries = mo(bytes) else { throw CorpusError.io(path: path, detail: "not a GNU .mo catalog (bad magic or offsets)") }
            return entries
        }
        return po(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses a compiled catalog; nil when the header or a table entry is out of range.
    static func mo(_ b: [UInt8]) -> [Entry]? {
        guard b.count >= 28 else { return nil }
        func word(_ offset: Int, _ littleEndian: Bool) -> Int? {
            guard offset >= 0, offset + 4 <= b.count else { return nil }
            let v = UInt32(b[offset]) | UInt32(b[offset + 1]) << 8 | UInt32(b[offset + 2]) << 16 | UInt32(b[offset + 3]) << 24
            return Int(littleEndian ? v : v.byteSwapped)
        }
        let little: Bool
        switch word(0, true) {
        case 0x9504_12DE: little = true
        case 0xDE12_0495: little = false
        default: return nil
        }
        guard let count = word(8, little), let originals = word(12, little), let translations = word(16, little) else { return nil }
        func string(_ table: Int, _ index: Int) -> [UInt8]? {
            guard let length = word(table + 8 * index, little), let offset = word(table + 8 * index + 4, little),
                  offset + length <= b.count else { return nil }
            return Array(b[offset..<(offset + length)])
        }
        var entries: [Entry] = []
        for i in 0..<count {
            guard let id = string(originals, i), let str = string(translations, i) else { return nil }
            // msgctxt is joined to the msgid with EOT; plural forms are NUL-separated.
            let source = id.split(separator: 0x04, omittingEmptySubsequences: false).last.map { $0.split(separator: 0, omittingEmptySubsequences: false)[0] } ?? []
            let translation = str.split(separator: 0, omittingEmptySubsequences: false).first ?? []
            guard !source.isEmpty, !translation.isEmpty else { continue }
            entries.append(Entry(source: String(decoding: source, as: UTF8.self), translation: String(decoding: translation, as: UTF8.self)))
        }
        return entries
    }

    /// Parses a source catalog (msgctxt/msgid/msgid_plural/msgstr[n], continuation lines, C escapes).
    static func po(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        var fuzzy = false
        var field = ""
        var values: [String: String] = [:]
        func flush() {
            if !fuzzy, let id = values["msgid"], !id.isEmpty {
                let str = values["msgstr"] ?? values["msgstr[0]"] ?? ""
                if !str.isEmpty { entries.append(Entry(source: id, translation: str)) }
            }
            values = [:]; field = ""; fuzzy = false
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flush(); continue }
            if line.hasPrefix("#") {
                if !values.isEmpty { flush() }
                if line.hasPrefix("#,"), line.contains("fuzzy") { fuzzy = true }
                continue
            }
            if line.hasPrefix("\"") { values[field, default: ""] += unquote(line); continue }
            guard let space = line.firstIndex(of: " ") else { continue }
            let key = String(line[..<space])
            if key == "msgctxt" || (key == "msgid" && values["msgid"] != nil) { if values["msgstr"] != nil || values["msgstr[0]"] != nil { flush() } }
            field = key
            values[key] = unquote(line[line.index(after: space)...].trimmingCharacters(in: .whitespaces))
        }
        flush()
        return entries
    }

    private static func unquote<S: StringProtocol>(_ quoted: S) -> String {
        guard quoted.count >= 2, quoted.first == "\"", quoted.last == "\"" else { return "" }
        var out = ""
        var escape = false
        for c in quoted.dropFirst().dropLast() {
            if escape {
                switch c { case "n": out.append("\n"); case "t": out.append("\t"); default: out.append(c) }
                escape = false
            } else if c == "\\" { escape = true } else { out.append(c) }
        }
        return out
    }
}
