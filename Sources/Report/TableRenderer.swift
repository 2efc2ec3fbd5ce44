/// Renders a `ReportTable` as an HTML `<table>` with a caption, aligned columns (numbers in
/// tabular figures), and the best value of each column that asks for it marked `class="best"`.
public enum TableRenderer {
    /// The table as a `<figure>` holding the title, the table, and the caption.
    public static func html(_ table: ReportTable) -> String {
        let best = bestRows(table)
        var out = "<figure class=\"table\">\n"
        out += "<figcaption><span class=\"figure-title\">\(HTMLEscaping.escape(table.title))</span>"
        if !table.caption.isEmpty { out += " <span class=\"caption\">\(HTMLEscaping.escape(table.caption))</span>" }
        out += "</figcaption>\n<table>\n<thead><tr>"
        for column in table.columns {
            out += "<th class=\"\(classes(column))\" scope=\"col\">\(HTMLEscaping.escape(column.name))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for (r, row) in table.rows.enumerated() {
            out += "<tr>"
            for (k, column) in table.columns.enumerated() {
                let cell = k < row.count ? row[k] : .text("")
                let marked = best[k].contains(r)
                let text: String
                switch cell {
                case .text(let value): text = value
                case .number(let value, let format): text = NumberText.cell(value, format)
                }
                out += "<td class=\"\(classes(column))\(marked ? " best" : "")\">"
                out += marked ? "<strong>\(HTMLEscaping.escape(text))</strong>" : HTMLEscaping.escape(text)
                out += "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</figure>\n"
    }

    /// For each column, the rows holding its best finite number (all of them on a tie; none when the
    /// column has no `best` or no finite numbers). A tie is exact numeric equality: 2.3141 and
    /// 2.3142 are not tied even though both show as 2.314.
    static func bestRows(_ table: ReportTable) -> [Set<Int>] {
        table.columns.enumerated().map { k, column in
            guard let best = column.best else { return [] }
            let values = table.rows.enumerated().compactMap { r, row in
                k < row.count ? row[k].finiteValue.map { (row: r, value: $0) } : nil
            }
            guard let target = best == .min ? values.map(\.value).min() : values.map(\.value).max() else { return [] }
            return Set(values.filter { $0.value == target }.map(\.row))
        }
    }

    private static func classes(_ column: ReportColumn) -> String {
        "align-\(column.alignment.rawValue)" + (column.numeric ? " num" : "")
    }
}
