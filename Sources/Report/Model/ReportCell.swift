/// One table cell: text shown as is, or a number shown with a format hint.
///
/// JSON: `{"text": "alibi"}` or `{"number": 2.3145, "format": {"style": "fixed", "decimals": 3}}`
/// (`format` may be left out; a non-finite number encodes as `null` and shows as an em dash).
public enum ReportCell: Codable, Sendable, Equatable {
    case text(String)
    case number(Double, ReportNumberFormat)

    /// A number with `decimals` digits after the point.
    public static func number(_ value: Double, decimals: Int = 3) -> ReportCell {
        .number(value, ReportNumberFormat(style: .fixed, decimals: decimals))
    }

    /// The number, when this is a finite numeric cell (the candidates for a best-value highlight).
    public var finiteValue: Double? {
        if case .number(let value, _) = self, value.isFinite { return value }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case text, number, format }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .text) {
            self = .text(text)
        } else if container.contains(.number) {
            let value = try container.decodeNil(forKey: .number) ? .nan : try container.decode(Double.self, forKey: .number)
            let format = try container.decodeIfPresent(ReportNumberFormat.self, forKey: .format) ?? ReportNumberFormat()
            self = .number(value, format)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a cell needs \"text\" or \"number\""))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode(text, forKey: .text)
        case .number(let value, let format):
            if value.isFinite { try container.encode(value, forKey: .number) } else { try container.encodeNil(forKey: .number) }
            try container.encode(format, forKey: .format)
        }
    }

    /// NaN equals NaN here, so a decoded table compares equal to the one encoded.
    public static func == (a: ReportCell, b: ReportCell) -> Bool {
        switch (a, b) {
        case (.text(let p), .text(let q)): return p == q
        case (.number(let p, let f), .number(let q, let g)): return f == g && (p == q || (p.isNaN && q.isNaN))
        default: return false
        }
    }
}

/// How a numeric cell is written.
public struct ReportNumberFormat: Codable, Sendable, Equatable {
    public enum Style: String, Codable, Sendable {
        /// `2.315` (with `decimals` digits after the point).
        case fixed
        /// `0.4` shown as `40.0%`.
        case percent
        /// `1.25e-4`.
        case scientific
        /// `1,234,567` (rounded, with thousands separators).
        case grouped
    }

    public var style: Style
    /// Digits after the decimal point (ignored by `grouped`).
    public var decimals: Int

    public init(style: Style = .fixed, decimals: Int = 3) {
        self.style = style
        self.decimals = decimals
    }
}
