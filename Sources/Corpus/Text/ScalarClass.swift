/// Per-scalar character classes, precomputed once for the Basic Multilingual Plane so the hot loops
/// (quality signals, SimHash, language ID, PII) never touch `Unicode.Scalar.Properties` per character.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8
    /// `isWhitespace` (space, tab, newline, NBSP, ideographic space, …).
    static let whitespace = ScalarClass(rawValue: 1)
    /// ROOTS "special character": punctuation, symbols, digits, whitespace, emoji.
    static let special = ScalarClass(rawValue: 2)
    /// Letters and combining marks (anything that makes up a word).
    static let letter = ScalarClass(rawValue: 4)
    /// Decimal digits (`Nd`).
    static let digit = ScalarClass(rawValue: 8)
    /// Han ideographs, kana: scripts written without spaces, tokenized one character per word.
    static let cjk = ScalarClass(rawValue: 16)
    /// Punctuation and symbols (`P*`, `S*`): removed before SimHash shingling.
    static let punctuation = ScalarClass(rawValue: 32)
    /// Whitespace other than space, tab and newline (NBSP, thin spaces, …): mapped to a plain space.
    static let exoticSpace = ScalarClass(rawValue: 64)
    /// Non-printing control and format characters (C0/C1 controls except \t \n, zero-width, BOM).
    static let nonPrinting = ScalarClass(rawValue: 128)
}

/// Lookup tables over the BMP; scalars above U+FFFF take a slow path. Hot loops fetch
/// `ScalarTables.shared` once and use its raw pointers: a plain value holding two immortal pointers,
/// so neither a lazy-global check nor reference counting (contended between threads) happens per character.
struct ScalarTables: @unchecked Sendable {
    static let shared = ScalarTables()

    /// Class bits for U+0000…U+FFFF.
    let classes: UnsafeMutablePointer<UInt8>
    /// Single-scalar lowercase mapping for U+0000…U+FFFF (identity where the mapping is not one scalar).
    let lowercase: UnsafeMutablePointer<UInt32>

    private init() {
        classes = .allocate(capacity: 0x10000)
        lowercase = .allocate(capacity: 0x10000)
        for value in 0..<0x10000 {
            lowercase[value] = UInt32(value)
            guard let scalar = Unicode.Scalar(UInt32(value)) else { classes[value] = 0; continue }
            classes[value] = Self.computeClass(scalar).rawValue
            if value < 0x80 {
                if value >= 0x41 && value <= 0x5A { lowercase[value] = UInt32(value + 32) }
            } else if scalar.properties.changesWhenLowercased {
                let mapped = scalar.properties.lowercaseMapping.unicodeScalars
                if mapped.count == 1, let first = mapped.first, first.value < 0x10000 { lowercase[value] = first.value }
            }
        }
    }

    /// The class of any scalar value.
    @inline(__always) func cls(_ value: UInt32) -> ScalarClass {
        value < 0x10000 ? ScalarClass(rawValue: classes[Int(value)]) : Self.slowClass(value)
    }

    /// The lowercase of any scalar value (single-scalar mappings only).
    @inline(__always) func low(_ value: UInt32) -> UInt32 {
        value < 0x10000 ? lowercase[Int(value)] : value
    }

    @inline(never) static func slowClass(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        return computeClass(scalar)
    }

    /// The class of any scalar value (convenience for cold code).
    static func classOf(_ value: UInt32) -> ScalarClass { shared.cls(value) }

    /// The lowercase of any scalar value (convenience for cold code).
    static func lower(_ value: UInt32) -> UInt32 { shared.low(value) }

    static func computeClass(_ scalar: Unicode.Scalar) -> ScalarClass {
        let p = scalar.properties
        var c: ScalarClass = []
        let v = scalar.value
        if p.isWhitespace {
            c.insert(.whitespace); c.insert(.special)
            if v != 0x20 && v != 0x09 && v != 0x0A { c.insert(.exoticSpace) }
        }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            c.insert(.letter)
        case .decimalNumber:
            c.insert(.digit); c.insert(.special)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            c.insert(.punctuation); c.insert(.special)
        case .control:
            if v != 0x09 && v != 0x0A && !p.isWhitespace { c.insert(.nonPrinting) }
        case .format:
            // Zero-width joiners matter inside Indic and Arabic words; everything else is invisible noise.
            if v != 0x200C && v != 0x200D { c.insert(.nonPrinting) }
        default:
            break
        }
        if (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x20000...0x3FFFF).contains(v) {
            if c.contains(.letter) { c.insert(.cjk) }
        }
        if p.isEmojiPresentation { c.insert(.special); c.remove(.letter) }
        return c
    }
}
