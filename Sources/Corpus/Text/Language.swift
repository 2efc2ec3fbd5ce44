/// Writing systems the pipeline distinguishes (for reports and word splitting).
public enum Script: String, Sendable, Codable {
    case latin = "Latn", arabic = "Arab", devanagari = "Deva", bengali = "Beng", han = "Hani"
    case japanese = "Jpan", cyrillic = "Cyrl", greek = "Grek", hangul = "Hang", tamil = "Taml"
    case gujarati = "Gujr", telugu = "Telu", hebrew = "Hebr", code = "Code"
}

/// The languages the pipeline knows: ISO 639-1 code → script and name. An unknown code is an error
/// (`CorpusError.unknownLanguage`), never silently passed through, because every per-language table
/// (thresholds, stop words, language ID) is keyed by it.
public enum LanguageTable {
    public static let known: [String: (script: Script, name: String)] = [
        "en": (.latin, "English"), "fr": (.latin, "French"), "es": (.latin, "Spanish"), "pt": (.latin, "Portuguese"),
        "ca": (.latin, "Catalan"), "eu": (.latin, "Basque"), "id": (.latin, "Indonesian"), "vi": (.latin, "Vietnamese"),
        "de": (.latin, "German"), "it": (.latin, "Italian"), "nl": (.latin, "Dutch"), "pl": (.latin, "Polish"),
        "sv": (.latin, "Swedish"), "da": (.latin, "Danish"), "nb": (.latin, "Norwegian Bokmål"), "cs": (.latin, "Czech"),
        "ro": (.latin, "Romanian"), "hr": (.latin, "Croatian"), "tr": (.latin, "Turkish"), "sw": (.latin, "Swahili"),
        "fi": (.latin, "Finnish"), "gl": (.latin, "Galician"), "hu": (.latin, "Hungarian"), "sl": (.latin, "Slovenian"),
        "ar": (.arabic, "Arabic"), "fa": (.arabic, "Persian"), "ur": (.arabic, "Urdu"),
        "hi": (.devanagari, "Hindi"), "mr": (.devanagari, "Marathi"), "bn": (.bengali, "Bengali"), "as": (.bengali, "Assamese"),
        "ta": (.tamil, "Tamil"), "gu": (.gujarati, "Gujarati"), "te": (.telugu, "Telugu"), "he": (.hebrew, "Hebrew"),
        "zh": (.han, "Chinese"), "ja": (.japanese, "Japanese"), "ko": (.hangul, "Korean"),
        "ru": (.cyrillic, "Russian"), "uk": (.cyrillic, "Ukrainian"), "sr": (.cyrillic, "Serbian"), "el": (.greek, "Greek"),
    ]

    /// Maps a locale-style code (`pt-BR`, `zh_CN`, `ar-MA`, `en-US`, `C`) to its base ISO code.
    /// Returns nil when the base is not in `known`.
    ///
    /// ```swift
    /// LanguageTable.normalize("pt-BR")  // "pt"
    /// LanguageTable.normalize("C")      // "en" (gettext/Mallard source locale)
    /// ```
    public static func normalize(_ code: String) -> String? {
        if code == "C" { return "en" }
        let base = code.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." || $0 == "@" }).first.map { $0.lowercased() } ?? ""
        return known[base] != nil ? base : nil
    }

    /// True when documents of `code` are written without spaces between words.
    public static func isUnsegmented(_ code: String) -> Bool { code == "zh" || code == "ja" }
}

extension CorpusError {
    /// A language code that is not in `LanguageTable.known`.
    static func unknownLanguage(code: String, context: String) -> CorpusError {
        .unknownLanguage(code: code, context: context, known: LanguageTable.known.keys.sorted())
    }
}
