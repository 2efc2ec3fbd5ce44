import Testing
@testable import Report

@Suite struct SVGLineChartTests {
    func chart(_ series: [ReportSeries], logY: Bool = false) -> String {
        SVGLineChart.svg(ReportChart(title: "t", xLabel: "step", yLabel: "loss", logY: logY, series: series), id: "c")
    }

    /// The `d` attributes of the series paths, in order.
    func seriesPaths(_ svg: String) -> [String] {
        let group = svg.components(separatedBy: "<g class=\"series\"")[1].components(separatedBy: "</g>\n</g>")[0]
        return group.components(separatedBy: "<path d=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func nonFinitePointsLeaveAGap() {
        let points = [1.0, 2, .nan, 4, 5, .infinity, 7].enumerated().map { ReportPoint(x: Double($0.offset), y: $0.element) }
        let svg = chart([ReportSeries(label: "a", points: points)])
        let paths = seriesPaths(svg)
        #expect(paths.count == 1)
        // Three runs: (0,1) (3,4) and the lone (6) drawn as a dot.
        #expect(paths[0].filter { $0 == "M" }.count == 2)
        #expect(svg.contains("<circle"))
        #expect(!svg.contains("NaN") && !svg.contains("inf"))
        #expect(markupProblem(svg) == nil)
    }

    @Test func gapSplitsRunsInDrawableRuns() {
        let x = ChartScale(values: [0, 10], logarithmic: false, start: 0, end: 100)
        let y = ChartScale(values: [0, 10], logarithmic: true, start: 100, end: 0)
        let points = [ReportPoint(x: 0, y: 1), ReportPoint(x: 1, y: 2), ReportPoint(x: 2, y: 0), ReportPoint(x: 3, y: 3), ReportPoint(x: 4, y: 4)]
        // y = 0 cannot sit on a log axis, so it breaks the line too.
        #expect(SVGLineChart.drawableRuns(points, x, y).map(\.count) == [2, 2])
    }

    @Test func singlePointIsDrawnAsADot() {
        let svg = chart([ReportSeries(label: "one", points: [ReportPoint(x: 3, y: 0.5)])])
        #expect(svg.components(separatedBy: "<circle").count == 2)
        #expect(seriesPaths(svg).isEmpty)
        #expect(!svg.contains("No data"))
    }

    @Test func emptySeriesAndEmptyChartSayNoData() {
        let empty = chart([])
        #expect(empty.contains("No data"))
        #expect(markupProblem(empty) == nil)
        let blank = chart([ReportSeries(label: "nothing", points: []), ReportSeries(label: "nan", points: [ReportPoint(x: 1, y: .nan)])])
        #expect(blank.contains("No data"))
        #expect(blank.contains(">nothing<"))
        #expect(markupProblem(blank) == nil)
    }

    @Test func twelveSeriesGetTwelveColoursThenDashes() {
        let series = (0..<14).map { i in ReportSeries(label: "s\(i)", points: [ReportPoint(x: 0, y: Double(i)), ReportPoint(x: 1, y: Double(i) + 1)]) }
        let svg = chart(series)
        let colours = Set(SeriesPalette.colors)
        #expect(colours.count == 12)
        for colour in colours { #expect(svg.contains("stroke=\"\(colour)\"")) }
        #expect(svg.contains("stroke-dasharray"))
        #expect(markupProblem(svg) == nil)
    }

    @Test func ticksAndLabelsAppear() {
        let series = ReportSeries(label: "loss", points: (0...10).map { ReportPoint(x: Double($0) * 50, y: 12.1 - Double($0) * 0.84) })
        let svg = chart([series])
        for label in [">0<", ">100<", ">500<", ">4<", ">12<", ">step<", ">loss<"] { #expect(svg.contains(label), "missing \(label)") }
    }

    @Test func logScaleMarksTheAxisLabel() {
        let svg = chart([ReportSeries(label: "l", points: [ReportPoint(x: 0, y: 0.01), ReportPoint(x: 1, y: 10)])], logY: true)
        #expect(svg.contains("loss (log scale)"))
        #expect(svg.contains(">0.01<") && svg.contains(">10<"))
    }
}
