/// Makes arbitrary text safe to place in HTML and inline SVG (which is parsed as XML-like markup).
enum HTMLEscaping {
    /// Escapes text for element content and for quoted attribute values alike: `& < > " '` become
    /// character references, and control characters that XML forbids (all below U+0020 except tab,
    /// newline and carriage return) are dropped, so a stage name can never open a tag or end an attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
