import Testing
@testable import Report

@Suite struct SVGStripPlotTests {
    /// x positions of the dots and of the median bars, in drawing order.
    func positions(_ svg: String) -> (dots: [Double], medians: [Double]) {
        let dots = svg.components(separatedBy: "<circle cx=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        let medians = svg.components(separatedBy: "<line x1=\"").dropFirst().filter { $0.contains("stroke-width=\"2\"") }
            .compactMap { Double($0.prefix { $0 != "\"" }) }
        return (dots, medians)
    }

    @Test func oneDotPerPromptAndTheMedianMarked() {
        let plot = ReportStripPlot(title: "task: acc over prompts", metric: "acc", rows: [
            .init(label: "alibi", scores: ["a": 0.2, "b": 0.4, "c": 0.3]),
            .init(label: "rotary", scores: ["a": 0.5, "b": .nan, "c": 0.1, "d": 0.3]),
        ], reference: 0.25)
        let svg = SVGStripPlot.svg(plot, id: "s")
        let (dots, medians) = positions(svg)
        #expect(dots.count == 6, "a NaN score draws no dot")
        #expect(medians.count == 2)
        let scale = ChartScale(values: [0.2, 0.4, 0.3, 0.5, 0.1, 0.3, 0.25], logarithmic: false, start: 190, end: 698, targetTicks: 6)
        #expect(abs(medians[0] - scale.position(0.3)) < 0.01 && abs(medians[1] - scale.position(0.3)) < 0.01)
        #expect(svg.contains("stroke-dasharray=\"4 3\""), "the reference line")
        #expect(svg.contains("<title>alibi · b: 0.4000</title>"))
        #expect(!svg.contains("NaN"))
        #expect(markupProblem(svg) == nil)
    }

    @Test func rendersInTheReport() {
        var document = ReportDocument(title: "r")
        document.strips = [ReportStripPlot(title: "t", metric: "acc", rows: [.init(label: "m", scores: ["p": 1])])]
        let html = ReportRenderer.html(document)
        #expect(html.contains("Scores over prompts") && html.contains("id=\"strip1\""))
        #expect(!ReportRenderer.html(ReportDocument(title: "r")).contains("Scores over prompts"))
    }
}
