import Testing
@testable import Report

@Suite struct HTMLEscapingTests {
    @Test func escapesMarkupCharacters() {
        #expect(HTMLEscaping.escape("<script>alert('x') & \"y\"</script>")
                == "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;")
    }

    @Test func keepsUnicodeAndDropsControlCharacters() {
        #expect(HTMLEscaping.escape("α→β\u{0}\u{7}\tz\n") == "α→β\tz\n")
    }

    @Test func scriptInEveryTextFieldStaysInert() {
        let evil = "<script>alert(1)</script>"
        let document = ReportDocument(
            title: evil, subtitle: evil, experiment: evil, manifestPath: evil,
            facts: [ReportFact(key: evil, value: evil)],
            dag: ReportDAG(nodes: [ReportDAGNode(id: evil, state: .fresh, kind: evil, finishedAt: evil),
                                   ReportDAGNode(id: "b", label: evil + "[x=\"1\"]", state: .failed)],
                           edges: [ReportDAGEdge(from: evil, to: "b")]),
            curves: [ReportChart(title: evil, xLabel: evil, yLabel: evil,
                                 series: [ReportSeries(label: evil, points: [ReportPoint(x: 0, y: 1), ReportPoint(x: 1, y: 2)])])],
            tables: [ReportTable(title: evil, caption: evil, columns: [ReportColumn(name: evil)], rows: [[.text(evil)]])],
            notes: [evil])
        let html = ReportRenderer.html(document)
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(markupProblem(html) == nil)
    }
}
