/// Estimates how wide text renders, so SVG labels can be truncated and legends laid out without a
/// browser. Monospace text (stage names) is exact up to the font; sans-serif text is an estimate
/// from a few character classes, erring on the wide side.
enum TextMetrics {
    /// Advance of one monospace character, as a fraction of the font size (DejaVu Sans Mono, Menlo, Consolas).
    static let monospaceAdvance = 0.602

    /// Width in pixels of `text` at `fontSize`.
    static func width(_ text: String, fontSize: Double, monospace: Bool = false) -> Double {
        if monospace { return Double(text.count) * monospaceAdvance * fontSize }
        return text.reduce(0) { $0 + sansAdvance($1) } * fontSize
    }

    /// `text` shortened with a trailing ellipsis so it fits in `maxWidth` (unchanged when it fits).
    static func truncate(_ text: String, toWidth maxWidth: Double, fontSize: Double, monospace: Bool = false) -> String {
        if width(text, fontSize: fontSize, monospace: monospace) <= maxWidth { return text }
        let budget = maxWidth - width("…", fontSize: fontSize, monospace: monospace)
        var kept = ""
        var used = 0.0
        for character in text {
            let advance = width(String(character), fontSize: fontSize, monospace: monospace)
            if used + advance > budget { break }
            kept.append(character)
            used += advance
        }
        return kept + "…"
    }

    /// Rough advance widths of a Helvetica/Arial/DejaVu-like sans-serif face, in ems.
    private static func sansAdvance(_ c: Character) -> Double {
        switch c {
        case "i", "l", "j", "'", "|", ".", ",", ":", ";", "!": return 0.30
        case "f", "t", "r", "I", "(", ")", "[", "]", " ", "-": return 0.38
        case "m", "w", "M", "W", "@", "%": return 0.90
        case "A"..."Z", "0"..."9": return 0.66
        default: return c.isASCII ? 0.58 : 0.70
        }
    }
}
