import Foundation
import Testing
@testable import Report

/// A document with every section filled, matrix members and a NaN in a curve.
func richDocument() -> ReportDocument {
    let members = ["alibi", "rotary"].map { "pretrain[pos=\($0),eln=true]" }
    let nodes = [ReportDAGNode(id: "fetch", state: .fresh, kind: "corpus.fetch", seconds: 12.5, finishedAt: "2025-01-01 10:00")]
        + members.map { ReportDAGNode(id: $0, state: .stale, seconds: 4000) }
        + [ReportDAGNode(id: "report", state: .running)]
    let edges = members.flatMap { [ReportDAGEdge(from: "fetch", to: $0), ReportDAGEdge(from: $0, to: "report")] }
    let curve = ReportChart(title: "loss", xLabel: "step", yLabel: "loss", series: members.map { member in
        ReportSeries(label: member, points: (0..<50).map { ReportPoint(x: Double($0), y: $0 == 20 ? .nan : 3 + 5 / Double($0 + 1)) })
    })
    let table = ReportTable(title: "val", columns: [ReportColumn(name: "run"), ReportColumn(name: "loss", numeric: true, best: .min)],
                            rows: members.enumerated().map { [.text($1), .number(2.3 + Double($0) * 0.1, decimals: 3)] })
    return ReportDocument(title: "Ablation", subtitle: "Generated 2025-01-01", experiment: "abl", manifestPath: "m.yaml",
                          facts: [ReportFact(key: "GPU hours", value: "12")], dag: ReportDAG(nodes: nodes, edges: edges),
                          curves: [curve], tables: [table], notes: ["note one"])
}

/// A layered DAG of `count` nodes: a few sources feeding a wide fan of matrix members and a tail.
func largeDAG(_ count: Int) -> ReportDAG {
    var nodes: [ReportDAGNode] = []
    var edges: [ReportDAGEdge] = []
    let states = ReportNodeState.allCases
    for i in 0..<count {
        let id = i % 5 == 0 ? "stage\(i)" : "train[lr=\(i)e-4,seed=\(i % 7),long_parameter_name=value\(i)]"
        nodes.append(ReportDAGNode(id: id, state: states[i % states.count], seconds: Double(i) * 13.7))
        if i > 0 { edges.append(ReportDAGEdge(from: nodes[(i - 1) / 3].id, to: id)) }
        if i > 10 && i % 4 == 0 { edges.append(ReportDAGEdge(from: nodes[i / 2].id, to: id)) }
    }
    return ReportDAG(nodes: nodes, edges: edges)
}

@Suite struct ReportRendererTests {
    @Test func sameDocumentGivesSameBytes() {
        let a = ReportRenderer.html(richDocument())
        let b = ReportRenderer.html(richDocument())
        #expect(a == b)
        let big = ReportDocument(title: "big", dag: largeDAG(150))
        #expect(ReportRenderer.html(big) == ReportRenderer.html(big))
    }

    @Test func pageIsWellFormedAndSelfContained() {
        let html = ReportRenderer.html(richDocument())
        #expect(markupProblem(html) == nil)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for forbidden in ["<script", "<link", "<img", "src=", "@import", "url(http", "https:"] {
            #expect(!html.contains(forbidden), "found \(forbidden)")
        }
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http:") == false)
        for section in ["id=\"summary\"", "id=\"pipeline\"", "id=\"curves\"", "id=\"tables\"", "id=\"notes\""] { #expect(html.contains(section)) }
    }

    @Test func everySVGIdIsUnique() {
        let document = ReportDocument(title: "t", dag: richDocument().dag, curves: Array(repeating: richDocument().curves[0], count: 3))
        let html = ReportRenderer.html(document)
        let ids = html.components(separatedBy: " id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(Set(ids).count == ids.count)
        // Three sections, the arrowhead marker, three clip paths.
        #expect(ids.count == 3 + 1 + 3)
    }

    @Test func emptySectionsAreLeftOut() {
        let html = ReportRenderer.html(ReportDocument(title: "only a title"))
        #expect(markupProblem(html) == nil)
        #expect(!html.contains("id=\"pipeline\"") && !html.contains("id=\"curves\"") && !html.contains("id=\"notes\""))
        #expect(html.contains("No summary facts"))
    }

    @Test func hundredNodeDAGRenders() {
        let dag = largeDAG(100)
        let svg = DAGRenderer.svg(dag)
        #expect(svg.components(separatedBy: "<g class=\"node ").count - 1 == 100)
        #expect(svg.components(separatedBy: "marker-end=").count - 1 == dag.edges.count)
        #expect(markupProblem(svg) == nil)
        // Long member names are truncated in the box but kept whole in the tooltip.
        #expect(svg.contains("…"))
        #expect(svg.contains("train[lr=1e-4,seed=1,long_parameter_name=value1]"))
    }

    @Test func twoHundredNodesStayWithinBounds() {
        let layout = DAGLayout(largeDAG(200), nodeWidth: 200, nodeHeight: 58)
        #expect(layout.boxes.count == 200)
        #expect(layout.width < 10_000 && layout.height < 40_000)
    }

    @Test func matrixMembersShowNameAndParametersOnTwoLines() {
        let svg = DAGRenderer.svg(richDocument().dag)
        #expect(svg.contains("<text class=\"node-label\" x=\"22\""))
        #expect(svg.contains(">pretrain</text>"))
        #expect(svg.contains(">[pos=alibi,eln=true]</text>"))
        #expect(svg.contains("running…"))
        #expect(StageLabel("eval[a=1]") == StageLabel("eval[a=1]"))
        #expect(StageLabel("[odd]").parameters == nil)
    }

    /// Issue #23: a report generated during a run shows a running stage's progress in its box,
    /// with a bar along the box's bottom edge as long as the fraction done.
    @Test func aRunningStageShowsItsProgress() {
        let dag = ReportDAG(nodes: [ReportDAGNode(id: "pretrain", state: .running, kind: "train", progress: "40%  120/300 steps  loss 7.353", fraction: 0.4),
                                    ReportDAGNode(id: "eval", state: .missing, kind: "eval")],
                            edges: [ReportDAGEdge(from: "pretrain", to: "eval")])
        let svg = DAGRenderer.svg(dag)
        #expect(svg.contains("progress: 40%  120/300 steps  loss 7.353"), "the tooltip")
        #expect(svg.contains(">train · 40%"), "the box's detail line")
        func width(_ element: Substring) -> Double {
            Double(element.split(separator: " ").first { $0.hasPrefix("width=") }!.dropFirst(7).prefix { $0 != "\"" })!
        }
        let elements = svg.split(separator: "<")
        let running = elements.drop { !$0.hasPrefix("g class=\"node running\"") }
        let box = try! #require(running.first { $0.hasPrefix("rect x=") })
        let bar = try! #require(running.first { $0.hasPrefix("rect class=\"node-progress\"") })
        #expect(abs(width(bar) - (width(box) - 2) * 0.4) < 0.01, "\(bar) in \(box)")
        #expect(svg.components(separatedBy: "node-progress").count == 2, "only the running stage has a bar")
    }

    @Test func stateSummaryCountsStates() {
        #expect(ReportRenderer.stateSummary(richDocument().dag) == "4 stages: 1 fresh, 2 stale, 1 running")
    }

    @Test func documentRoundTripsThroughJSONWithNaN() throws {
        let document = richDocument()
        let data = try JSONEncoder().encode(document)
        let decoded = try JSONDecoder().decode(ReportDocument.self, from: data)
        #expect(decoded == document)
        #expect(ReportRenderer.html(decoded) == ReportRenderer.html(document))
    }
}
