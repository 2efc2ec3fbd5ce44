import PipelineSpec

/// `trellis dag`: the graph as text, Graphviz dot or Mermaid, optionally annotated with states.
public enum DagRenderer {
    public enum Format: String, CaseIterable, Sendable { case text, dot, mermaid }

    public static func render(_ instances: [StageInstance], format: Format, states: [String: StageState] = [:]) -> String {
        switch format {
        case .text: return text(instances, states)
        case .dot: return dot(instances, states)
        case .mermaid: return mermaid(instances, states)
        }
    }

    private static func text(_ instances: [StageInstance], _ states: [String: StageState]) -> String {
        var lines: [String] = []
        for i in instances {
            let state = states[i.name].map { " [\($0.rawValue)]" } ?? ""
            let ups = i.upstream.isEmpty ? "" : "  ← " + i.upstream.joined(separator: ", ")
            lines.append("\(i.name)\(state)\(ups)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func dot(_ instances: [StageInstance], _ states: [String: StageState]) -> String {
        let colors: [StageState: String] = [.fresh: "palegreen", .stale: "khaki", .missing: "lightgrey", .failed: "salmon"]
        var out = "digraph trellis {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=white];\n"
        // Members of one matrix stage are drawn as a group (a cluster).
        let groups = Dictionary(grouping: instances, by: \.stage)
        for (stage, members) in groups.sorted(by: { $0.key < $1.key }) where members.count > 1 || members[0].name != stage {
            out += "  subgraph \"cluster_\(escape(stage))\" { label=\"\(escape(stage))\"; style=dashed;"
            out += members.map { " \"\(escape($0.name))\";" }.joined() + " }\n"
        }
        for i in instances {
            let color = states[i.name].flatMap { colors[$0] } ?? "white"
            out += "  \"\(escape(i.name))\" [fillcolor=\(color)];\n"
            for up in i.upstream { out += "  \"\(escape(up))\" -> \"\(escape(i.name))\";\n" }
        }
        return out + "}\n"
    }

    private static func mermaid(_ instances: [StageInstance], _ states: [String: StageState]) -> String {
        var ids: [String: String] = [:]
        for (n, i) in instances.enumerated() { ids[i.name] = "s\(n)" }
        var out = "flowchart LR\n"
        for i in instances {
            let state = states[i.name].map { " (\($0.rawValue))" } ?? ""
            out += "  \(ids[i.name]!)[\"\(i.name.replacingOccurrences(of: "\"", with: "'"))\(state)\"]\n"
        }
        for i in instances { for up in i.upstream { if let a = ids[up] { out += "  \(a) --> \(ids[i.name]!)\n" } } }
        for (state, style) in [(StageState.fresh, "fill:#cfc"), (.stale, "fill:#ffc"), (.missing, "fill:#eee"), (.failed, "fill:#fcc")] {
            let members = instances.filter { states[$0.name] == state }.map { ids[$0.name]! }
            if !members.isEmpty { out += "  classDef \(state.rawValue) \(style)\n  class \(members.joined(separator: ",")) \(state.rawValue)\n" }
        }
        return out
    }

    private static func escape(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "\\\"") }
}

import Foundation
