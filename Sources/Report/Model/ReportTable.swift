/// A result table (validation losses, per-language perplexities, …).
public struct ReportTable: Codable, Sendable, Equatable {
    public var title: String
    /// Shown under the title; explains units and what the highlight means.
    public var caption: String
    public var columns: [ReportColumn]
    /// Cells by row; a short row is padded with empty cells, extra cells are dropped.
    public var rows: [[ReportCell]]

    public init(title: String, caption: String = "", columns: [ReportColumn], rows: [[ReportCell]]) {
        self.title = title
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }
}

/// How a column's cells line up.
public enum ReportAlignment: String, Codable, Sendable {
    case left, center, right
}

/// Which value of a numeric column is the best one, to be highlighted.
public enum ReportBest: String, Codable, Sendable {
    /// Lowest is best (loss, perplexity).
    case min
    /// Highest is best (accuracy).
    case max
}

/// A column heading and how its cells are shown.
public struct ReportColumn: Codable, Sendable, Equatable {
    public var name: String
    public var alignment: ReportAlignment
    /// Numeric columns use tabular figures.
    public var numeric: Bool
    /// When set, the best finite number in the column is highlighted (every cell holding it, on ties).
    public var best: ReportBest?

    /// A column; numeric columns are right-aligned unless told otherwise.
    public init(name: String, numeric: Bool = false, alignment: ReportAlignment? = nil, best: ReportBest? = nil) {
        self.name = name
        self.numeric = numeric
        self.alignment = alignment ?? (numeric ? .right : .left)
        self.best = best
    }
}
