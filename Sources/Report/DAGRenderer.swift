/// Draws a `ReportDAG` as an inline SVG: a legend of states with counts, then the stages left to
/// right by depth (`DAGLayout`), each a box coloured by state holding its label and "kind ·
/// duration", joined by curved edges with arrowheads. Labels too long for the box end in an
/// ellipsis; hovering a box shows its full name and details (an SVG `<title>`).
public enum DAGRenderer {
    /// Box height when no label has parameters, and when some do (a third line).
    static let nodeHeight = 44.0
    static let matrixNodeHeight = 58.0
    static let minNodeWidth = 140.0
    static let maxNodeWidth = 250.0
    static let labelFontSize = 12.0
    static let parameterFontSize = 11.0
    static let detailFontSize = 10.5
    static let textInset = 10.0
    /// Height of the legend band above the graph.
    static let legendHeight = 30.0
    /// How far the page may shrink the drawing to fit before it scrolls instead.
    static let minimumScale = 0.8

    /// The graph as an `<svg>` element. `id` must be unique within the page (it names the arrowhead).
    /// The SVG scales down to fit its container to `minimumScale` of its natural size, then scrolls.
    public static func svg(_ dag: ReportDAG, id: String = "dag") -> String {
        let c = NumberText.coordinate
        let labels = dag.nodes.map { StageLabel($0.label) }
        let longest = labels.map { label in
            max(TextMetrics.width(label.name, fontSize: labelFontSize, monospace: true),
                TextMetrics.width(label.parameters ?? "", fontSize: parameterFontSize, monospace: true))
        }.max() ?? 0
        let nodeWidth = min(max((longest + 2 * textInset).rounded(.up), minNodeWidth), maxNodeWidth)
        let boxHeight = labels.contains { $0.parameters != nil } ? matrixNodeHeight : nodeHeight
        let layout = DAGLayout(dag, nodeWidth: nodeWidth, nodeHeight: boxHeight)
        let width = max(layout.width, legendWidth(dag) + 2 * DAGLayout.padding)
        let height = layout.height + legendHeight
        let arrow = HTMLEscaping.escape(id) + "-arrow"

        var out = "<svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\""
        out += " width=\"\(c(width))\" height=\"\(c(height))\" style=\"min-width:\(c(width * minimumScale))px\" role=\"img\" aria-label=\"Pipeline graph, \(dag.nodes.count) stages\">\n"
        out += "<defs><marker id=\"\(arrow)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\""
        out += " orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" class=\"arrowhead\"/></marker></defs>\n"
        out += legend(dag)
        out += "<g transform=\"translate(0 \(c(legendHeight)))\">\n"

        out += "<g class=\"edges\">\n"
        for route in layout.routes {
            let title = dag.nodes[route.from].id + " → " + dag.nodes[route.to].id
            out += "<path d=\"\(pathData(route.points))\" marker-end=\"url(#\(arrow))\"><title>\(HTMLEscaping.escape(title))</title></path>\n"
        }
        out += "</g>\n<g class=\"nodes\">\n"
        for box in layout.boxes { out += node(dag.nodes[box.node], box, width: nodeWidth, height: boxHeight) }
        out += "</g>\n</g>\n"
        return out + "</svg>"
    }

    /// SVG path data through `points`: horizontal-tangent cubic curves between columns and straight
    /// runs across the columns an edge passes through.
    static func pathData(_ points: [DAGLayout.Point]) -> String {
        let c = NumberText.coordinate
        guard let first = points.first else { return "" }
        var d = "M\(c(first.x)) \(c(first.y))"
        for i in points.indices.dropFirst() {
            let (a, b) = (points[i - 1], points[i])
            if i % 2 == 0 {
                d += "H\(c(b.x))"
            } else {
                let mid = (a.x + b.x) / 2
                d += "C\(c(mid)) \(c(a.y)) \(c(mid)) \(c(b.y)) \(c(b.x)) \(c(b.y))"
            }
        }
        return d
    }

    private static func node(_ node: ReportDAGNode, _ box: DAGLayout.Box, width: Double, height: Double) -> String {
        let c = NumberText.coordinate
        let style = NodeStateStyle.of(node.state)
        let textWidth = width - 2 * textInset
        let label = StageLabel(node.label)
        var lines: [(className: String, text: String)] = [
            ("node-label", TextMetrics.truncate(label.name, toWidth: textWidth, fontSize: labelFontSize, monospace: true)),
        ]
        if let parameters = label.parameters {
            lines.append(("node-parameters",
                          TextMetrics.truncate(parameters, toWidth: textWidth, fontSize: parameterFontSize, monospace: true)))
        }
        var details = [node.kind]
        if node.state == .running {
            details.append(node.progress ?? "running…")
        } else if let seconds = node.seconds {
            details.append(NumberText.duration(seconds))
        }
        let detail = details.joined(separator: " · ")
        lines.append(("node-detail", TextMetrics.truncate(detail, toWidth: textWidth, fontSize: detailFontSize)))

        var tooltip = [node.id]
        if node.label != node.id { tooltip.append(node.label) }
        tooltip.append("state: \(node.state.rawValue)")
        tooltip.append("kind: \(node.kind)")
        if let seconds = node.seconds { tooltip.append("duration: \(NumberText.duration(seconds))") }
        if let finished = node.finishedAt { tooltip.append("finished: \(finished)") }
        if node.state == .running, let progress = node.progress { tooltip.append("progress: \(progress)") }

        var out = "<g class=\"node \(node.state.rawValue)\"><title>\(HTMLEscaping.escape(tooltip.joined(separator: "\n")))</title>"
        out += "<rect x=\"\(c(box.x))\" y=\"\(c(box.y))\" width=\"\(c(width))\" height=\"\(c(height))\" rx=\"6\""
        out += " fill=\"\(style.fill)\" stroke=\"\(style.stroke)\"" + (style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
        // Lines 15 px apart, the block centred in the box (baselines sit ~4 px below a line's centre).
        let lineHeight = 15.0
        var baseline = box.y + height / 2 - Double(lines.count - 1) * lineHeight / 2 + 4
        for line in lines {
            out += "<text class=\"\(line.className)\" x=\"\(c(box.x + textInset))\" y=\"\(c(baseline))\">\(HTMLEscaping.escape(line.text))</text>"
            baseline += lineHeight
        }
        // A running stage's progress: a bar along the bottom edge of its box.
        if node.state == .running, let fraction = node.fraction {
            out += "<rect class=\"node-progress\" x=\"\(c(box.x + 1))\" y=\"\(c(box.y + height - 4))\" width=\"\(c((width - 2) * min(1, max(0, fraction))))\" height=\"3\" fill=\"\(style.stroke)\"/>"
        }
        return out + "</g>\n"
    }

    /// The text of each legend entry: state name and how many stages are in it.
    private static func legendEntries(_ dag: ReportDAG) -> [(state: ReportNodeState, text: String)] {
        ReportNodeState.allCases.map { state in (state, "\(state.rawValue) \(dag.nodes.filter { $0.state == state }.count)") }
    }

    private static func legendEntryWidth(_ text: String) -> Double { 22 + TextMetrics.width(text, fontSize: 11) + 16 }

    private static func legendWidth(_ dag: ReportDAG) -> Double {
        legendEntries(dag).reduce(0) { $0 + legendEntryWidth($1.text) }
    }

    private static func legend(_ dag: ReportDAG) -> String {
        let c = NumberText.coordinate
        var out = "<g class=\"legend\">\n"
        var x = DAGLayout.padding
        for entry in legendEntries(dag) {
            let style = NodeStateStyle.of(entry.state)
            out += "<rect x=\"\(c(x))\" y=\"9\" width=\"14\" height=\"12\" rx=\"3\" fill=\"\(style.fill)\" stroke=\"\(style.stroke)\""
            out += (style.dash == nil ? "" : " stroke-dasharray=\"3 2\"") + "/>"
            out += "<text x=\"\(c(x + 20))\" y=\"19\">\(HTMLEscaping.escape(entry.text))</text>\n"
            x += legendEntryWidth(entry.text)
        }
        return out + "</g>\n"
    }
}
