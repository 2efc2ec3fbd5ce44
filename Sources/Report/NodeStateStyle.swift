/// The colours of a DAG box for each stage state: a pale fill with a darker border of the same hue
/// (fresh green, stale amber, missing grey, failed red, running blue, drawn dashed).
struct NodeStateStyle {
    let fill: String
    let stroke: String
    /// `stroke-dasharray` of the border, if not solid.
    let dash: String?

    static func of(_ state: ReportNodeState) -> NodeStateStyle {
        switch state {
        case .fresh: return NodeStateStyle(fill: "#dcf3e0", stroke: "#2e7d32", dash: nil)
        case .stale: return NodeStateStyle(fill: "#fdf0c8", stroke: "#b7791f", dash: nil)
        case .missing: return NodeStateStyle(fill: "#eef0f3", stroke: "#8a94a3", dash: nil)
        case .failed: return NodeStateStyle(fill: "#fbdcdc", stroke: "#c62828", dash: nil)
        case .running: return NodeStateStyle(fill: "#dbeafe", stroke: "#1d5fbf", dash: "5 3")
        }
    }
}
