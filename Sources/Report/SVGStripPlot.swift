/// Draws a `ReportStripPlot` as an inline SVG: one row per model, a dot per prompt's score on a
/// shared horizontal axis (nice ticks), the median as a vertical bar, an optional dashed reference.
public enum SVGStripPlot {
    enum Geometry {
        static let width = 720.0
        static let marginLeft = 190.0
        static let marginRight = 22.0
        static let marginTop = 34.0
        static let rowHeight = 26.0
        static let axisBand = 40.0
    }

    public static func svg(_ plot: ReportStripPlot, id: String) -> String {
        typealias G = Geometry
        let e = HTMLEscaping.escape, c = NumberText.coordinate
        let left = G.marginLeft, right = G.width - G.marginRight
        let top = G.marginTop, bottom = G.marginTop + Double(max(1, plot.rows.count)) * G.rowHeight
        let height = bottom + G.axisBand
        var values = plot.rows.flatMap { $0.scores.values }.filter(\.isFinite)
        if let r = plot.reference, r.isFinite { values.append(r) }
        let scale = ChartScale(values: values, logarithmic: false, start: left, end: right, targetTicks: 6)

        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(G.width)) \(c(height))\""
        out += " width=\"\(c(G.width))\" height=\"\(c(height))\" role=\"img\" aria-label=\"\(e(plot.title))\" id=\"\(e(id))\">\n"
        out += "<title>\(e(plot.title))</title>\n<text class=\"chart-title\" x=\"\(c(left))\" y=\"22\">\(e(plot.title))</text>\n<g class=\"grid\">\n"
        for v in scale.ticks.values { out += "<line x1=\"\(c(scale.position(v)))\" y1=\"\(c(top))\" x2=\"\(c(scale.position(v)))\" y2=\"\(c(bottom))\"/>\n" }
        out += "</g>\n<g class=\"tick-labels\">\n"
        for v in scale.ticks.values {
            out += "<text x=\"\(c(scale.position(v)))\" y=\"\(c(bottom + 17))\" text-anchor=\"middle\">\(e(scale.ticks.label(v)))</text>\n"
        }
        for (i, row) in plot.rows.enumerated() {
            let y = top + (Double(i) + 0.5) * G.rowHeight
            out += "<text x=\"\(c(left - 8))\" y=\"\(c(y + 4))\" text-anchor=\"end\">\(e(TextMetrics.truncate(row.label, toWidth: left - 16, fontSize: 11)))</text>\n"
        }
        out += "</g>\n<path class=\"axis\" d=\"M\(c(left)) \(c(bottom))H\(c(right))\"/>\n"
        out += "<text class=\"axis-label\" x=\"\(c((left + right) / 2))\" y=\"\(c(bottom + 34))\" text-anchor=\"middle\">\(e(plot.metric))</text>\n"
        if let r = plot.reference, scale.accepts(r) {
            out += "<line x1=\"\(c(scale.position(r)))\" y1=\"\(c(top))\" x2=\"\(c(scale.position(r)))\" y2=\"\(c(bottom))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (i, row) in plot.rows.enumerated() {
            let y = top + (Double(i) + 0.5) * G.rowHeight
            let scores = row.scores.sorted { $0.key < $1.key }.filter { $0.value.isFinite }
            for (j, (prompt, score)) in scores.enumerated() {
                // Prompts with equal scores are spread vertically so each dot stays visible.
                let jitter = Double(j % 5 - 2) * 3
                out += "<circle cx=\"\(c(scale.position(score)))\" cy=\"\(c(y + jitter))\" r=\"4\" fill=\"\(SeriesPalette.color(i))\" fill-opacity=\"0.75\">"
                out += "<title>\(e(row.label)) · \(e(prompt)): \(e(NumberText.fixed(score, decimals: 4)))</title></circle>\n"
            }
            let sorted = scores.map(\.value).sorted()
            if !sorted.isEmpty {
                let n = sorted.count
                let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
                let x = scale.position(median)
                out += "<line x1=\"\(c(x))\" y1=\"\(c(y - 9))\" x2=\"\(c(x))\" y2=\"\(c(y + 9))\" stroke=\"#222\" stroke-width=\"2\"/>\n"
            }
        }
        return out + "</svg>"
    }
}
