/// Draws a `ReportChart` as an inline SVG line chart: title, axes with nice ticks and grid lines,
/// axis labels, one line per series, and a legend underneath that wraps onto as many rows as needed.
public enum SVGLineChart {
    /// Fixed geometry, in SVG user units (pixels at 100 % zoom).
    enum Geometry {
        static let width = 720.0
        static let plotHeight = 230.0
        static let marginLeft = 66.0
        static let marginRight = 22.0
        static let marginTop = 38.0
        /// Space under the plot for tick labels and the x-axis label.
        static let axisBand = 48.0
        static let legendRowHeight = 20.0
        static let fontSize = 11.0
    }

    /// The chart as an `<svg>` element. `id` must be unique within the page (it names the clip path).
    public static func svg(_ chart: ReportChart, id: String) -> String {
        typealias G = Geometry
        let plotLeft = G.marginLeft, plotRight = G.width - G.marginRight
        let plotTop = G.marginTop, plotBottom = G.marginTop + G.plotHeight
        let legendRows = legendLayout(chart.series, width: plotRight - plotLeft)
        let height = plotBottom + G.axisBand + Double(legendRows.count) * G.legendRowHeight + 6
        let points = chart.series.flatMap(\.points)
        let xScale = ChartScale(values: points.filter(\.y.isFinite).map(\.x), logarithmic: false,
                                start: plotLeft, end: plotRight, targetTicks: 8)
        let yScale = ChartScale(values: points.filter(\.x.isFinite).map(\.y), logarithmic: chart.logY,
                                start: plotBottom, end: plotTop, targetTicks: 6)
        let c = NumberText.coordinate
        let clip = HTMLEscaping.escape(id) + "-plot"

        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(G.width)) \(c(height))\""
        out += " width=\"\(c(G.width))\" height=\"\(c(height))\" role=\"img\" aria-label=\"\(HTMLEscaping.escape(chart.title))\">\n"
        out += "<title>\(HTMLEscaping.escape(chart.title))</title>\n"
        out += "<defs><clipPath id=\"\(clip)\"><rect x=\"\(c(plotLeft))\" y=\"\(c(plotTop - 2))\" width=\"\(c(plotRight - plotLeft))\""
        out += " height=\"\(c(G.plotHeight + 4))\"/></clipPath></defs>\n"
        out += "<text class=\"chart-title\" x=\"\(c(plotLeft))\" y=\"22\">\(HTMLEscaping.escape(chart.title))</text>\n"

        // Grid and tick labels.
        out += "<g class=\"grid\">\n"
        for value in yScale.ticks.values {
            let y = yScale.position(value)
            out += "<line x1=\"\(c(plotLeft))\" y1=\"\(c(y))\" x2=\"\(c(plotRight))\" y2=\"\(c(y))\"/>\n"
        }
        for value in xScale.ticks.values {
            let x = xScale.position(value)
            out += "<line x1=\"\(c(x))\" y1=\"\(c(plotTop))\" x2=\"\(c(x))\" y2=\"\(c(plotBottom))\"/>\n"
        }
        out += "</g>\n<g class=\"tick-labels\">\n"
        for value in yScale.ticks.values {
            out += "<text x=\"\(c(plotLeft - 8))\" y=\"\(c(yScale.position(value) + 4))\" text-anchor=\"end\">"
            out += HTMLEscaping.escape(yScale.ticks.label(value)) + "</text>\n"
        }
        for value in xScale.ticks.values {
            out += "<text x=\"\(c(xScale.position(value)))\" y=\"\(c(plotBottom + 17))\" text-anchor=\"middle\">"
            out += HTMLEscaping.escape(xScale.ticks.label(value)) + "</text>\n"
        }
        out += "</g>\n"
        out += "<path class=\"axis\" d=\"M\(c(plotLeft)) \(c(plotTop))V\(c(plotBottom))H\(c(plotRight))\"/>\n"
        out += "<text class=\"axis-label\" x=\"\(c((plotLeft + plotRight) / 2))\" y=\"\(c(plotBottom + 38))\" text-anchor=\"middle\">"
        out += HTMLEscaping.escape(chart.xLabel) + "</text>\n"
        let yMid = c((plotTop + plotBottom) / 2)
        out += "<text class=\"axis-label\" x=\"0\" y=\"0\" transform=\"translate(16 \(yMid)) rotate(-90)\" text-anchor=\"middle\">"
        out += HTMLEscaping.escape(chart.yLabel + (chart.logY ? " (log scale)" : "")) + "</text>\n"

        // Series.
        out += "<g class=\"series\" clip-path=\"url(#\(clip))\">\n"
        var drewAnything = false
        for (index, series) in chart.series.enumerated() {
            let runs = drawableRuns(series.points, xScale, yScale)
            guard !runs.isEmpty else { continue }
            drewAnything = true
            let color = SeriesPalette.color(index)
            let dash = SeriesPalette.dash(index).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            out += "<g><title>\(HTMLEscaping.escape(series.label))</title>\n"
            let lines = runs.filter { $0.count > 1 }
            if !lines.isEmpty {
                let d = lines.map { run in
                    "M" + run.map { "\(c($0.x)) \(c($0.y))" }.joined(separator: "L")
                }.joined()
                out += "<path d=\"\(d)\" stroke=\"\(color)\"\(dash)/>\n"
            }
            // A point with no drawable neighbour would be invisible as a path: mark it with a dot.
            for run in runs where run.count == 1 {
                out += "<circle cx=\"\(c(run[0].x))\" cy=\"\(c(run[0].y))\" r=\"2.8\" fill=\"\(color)\"/>\n"
            }
            out += "</g>\n"
        }
        out += "</g>\n"
        if !drewAnything {
            out += "<text class=\"no-data\" x=\"\(c((plotLeft + plotRight) / 2))\" y=\"\(yMid)\" text-anchor=\"middle\">No data</text>\n"
        }

        out += legend(chart.series, rows: legendRows, left: plotLeft, top: plotBottom + G.axisBand)
        return out + "</svg>"
    }

    /// The series' points in pixels, split into runs at every point that cannot be drawn (NaN, ±∞,
    /// or y ≤ 0 on a log scale), so the line has a gap there instead of jumping across.
    static func drawableRuns(_ points: [ReportPoint], _ xScale: ChartScale, _ yScale: ChartScale) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = []
        var current: [(x: Double, y: Double)] = []
        for point in points {
            if xScale.accepts(point.x) && yScale.accepts(point.y) {
                current.append((xScale.position(point.x), yScale.position(point.y)))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Series indices per legend row, filling each row up to `width`.
    static func legendLayout(_ series: [ReportSeries], width: Double) -> [[Int]] {
        var rows: [[Int]] = []
        var row: [Int] = []
        var used = 0.0
        for index in series.indices {
            let itemWidth = legendItemWidth(series[index].label)
            if !row.isEmpty && used + itemWidth > width {
                rows.append(row)
                row = []
                used = 0
            }
            row.append(index)
            used += itemWidth
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// Longest legend label kept whole, in pixels; longer ones are truncated with an ellipsis.
    static let legendLabelLimit = 260.0

    private static func legendItemWidth(_ label: String) -> Double {
        30 + min(TextMetrics.width(label, fontSize: Geometry.fontSize), legendLabelLimit) + 18
    }

    private static func legend(_ series: [ReportSeries], rows: [[Int]], left: Double, top: Double) -> String {
        let c = NumberText.coordinate
        var out = "<g class=\"legend\">\n"
        for (rowIndex, row) in rows.enumerated() {
            let y = top + Double(rowIndex) * Geometry.legendRowHeight + 10
            var x = left
            for index in row {
                let dash = SeriesPalette.dash(index).map { " stroke-dasharray=\"\($0)\"" } ?? ""
                let label = TextMetrics.truncate(series[index].label, toWidth: legendLabelLimit, fontSize: Geometry.fontSize)
                out += "<line x1=\"\(c(x))\" y1=\"\(c(y))\" x2=\"\(c(x + 22))\" y2=\"\(c(y))\" stroke=\"\(SeriesPalette.color(index))\"\(dash)/>"
                out += "<text x=\"\(c(x + 28))\" y=\"\(c(y + 4))\">\(HTMLEscaping.escape(label))"
                out += "<title>\(HTMLEscaping.escape(series[index].label))</title></text>\n"
                x += legendItemWidth(series[index].label)
            }
        }
        return out + "</g>\n"
    }
}
