/// Scores of one task's prompts, per model: the distribution over prompts as the BLOOM paper's
/// figures show it (one dot per prompt, the median marked).
public struct ReportStripPlot: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        /// The model (or model and task) this row belongs to.
        public var label: String
        /// Prompt name → score.
        public var scores: [String: Double]
        public init(label: String, scores: [String: Double]) { self.label = label; self.scores = scores }
    }

    public var title: String
    /// The metric, e.g. "acc".
    public var metric: String
    public var rows: [Row]
    /// A reference line (e.g. chance accuracy), drawn dashed when set.
    public var reference: Double?

    public init(title: String, metric: String, rows: [Row], reference: Double? = nil) {
        self.title = title; self.metric = metric; self.rows = rows; self.reference = reference
    }
}
