import Foundation
import Testing
@testable import Report

@Suite struct TableRendererTests {
    let table = ReportTable(
        title: "Validation", caption: "lower is better",
        columns: [ReportColumn(name: "variant"), ReportColumn(name: "loss", numeric: true, best: .min),
                  ReportColumn(name: "acc", numeric: true, best: .max), ReportColumn(name: "steps", numeric: true)],
        rows: [
            [.text("a"), .number(2.5, decimals: 3), .number(0.41, ReportNumberFormat(style: .percent, decimals: 1)), .number(1000, ReportNumberFormat(style: .grouped))],
            [.text("b"), .number(2.25, decimals: 3), .number(.nan, decimals: 2), .number(2000, ReportNumberFormat(style: .grouped))],
            [.text("c"), .number(2.25, decimals: 3), .number(0.39, ReportNumberFormat(style: .percent, decimals: 1))],
        ])

    @Test func bestValuePerColumnIsFoundWithTies() {
        #expect(TableRenderer.bestRows(table) == [[], [1, 2], [0], []])
    }

    @Test func bestCellsAreMarked() {
        let html = TableRenderer.html(table)
        #expect(html.contains("<td class=\"align-right num best\"><strong>2.250</strong></td>"))
        #expect(html.contains("<td class=\"align-right num best\"><strong>41.0%</strong></td>"))
        #expect(html.components(separatedBy: " best\"").count == 4)
        #expect(markupProblem(html) == nil)
    }

    @Test func numbersAreFormattedAndRightAligned() {
        let html = TableRenderer.html(table)
        #expect(html.contains("<th class=\"align-right num\" scope=\"col\">loss</th>"))
        #expect(html.contains("<th class=\"align-left\" scope=\"col\">variant</th>"))
        #expect(html.contains(">2.500<") && html.contains(">1,000<") && html.contains(">—<"))
        // The short last row is padded to the column count.
        #expect(html.components(separatedBy: "<td").count - 1 == 12)
    }

    @Test func numberFormatsAreLocaleFree() {
        #expect(NumberText.cell(-0.0001, ReportNumberFormat(style: .fixed, decimals: 2)) == "0.00")
        #expect(NumberText.cell(1234567.8, ReportNumberFormat(style: .grouped)) == "1,234,568")
        #expect(NumberText.cell(-1234, ReportNumberFormat(style: .grouped)) == "-1,234")
        #expect(NumberText.cell(0.000125, ReportNumberFormat(style: .scientific, decimals: 2)) == "1.25e-4")
        #expect(NumberText.duration(3.14159) == "3.14 s")
        #expect(NumberText.duration(245) == "4m 05s")
        #expect(NumberText.duration(7980) == "2h 13m")
    }

    @Test func cellsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(table)
        #expect(try JSONDecoder().decode(ReportTable.self, from: data) == table)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#"{"number":null"#) || text.contains(#""number":null"#))
    }
}
