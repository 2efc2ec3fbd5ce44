/// Everything `trellis report` puts on one page. The renderer computes nothing from the clock or
/// the environment: the same document always renders to the same bytes.
public struct ReportDocument: Codable, Sendable, Equatable {
    /// The page heading (also the HTML `<title>`).
    public var title: String
    /// The line under the heading, e.g. "Generated 2025-03-01 14:02 UTC by trellis 0.4".
    public var subtitle: String
    /// The experiment's name from the manifest.
    public var experiment: String
    /// The manifest the run came from, as the user wrote it.
    public var manifestPath: String
    /// Summary facts, shown in this order.
    public var facts: [ReportFact]
    /// The pipeline graph with each stage's state.
    public var dag: ReportDAG
    /// Line charts (training curves), in this order.
    public var curves: [ReportChart]
    /// Result tables, in this order.
    public var tables: [ReportTable]
    /// Per-prompt score distributions (one plot per task and metric), in this order.
    public var strips: [ReportStripPlot] = []
    /// Free-text remarks, one paragraph each.
    public var notes: [String]

    public init(title: String, subtitle: String = "", experiment: String = "", manifestPath: String = "",
                facts: [ReportFact] = [], dag: ReportDAG = ReportDAG(), curves: [ReportChart] = [],
                tables: [ReportTable] = [], notes: [String] = []) {
        self.title = title
        self.subtitle = subtitle
        self.experiment = experiment
        self.manifestPath = manifestPath
        self.facts = facts
        self.dag = dag
        self.curves = curves
        self.tables = tables
        self.notes = notes
    }
}

/// One key/value line of the summary ("stages" → "14", "wall time" → "2h 13m").
public struct ReportFact: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
