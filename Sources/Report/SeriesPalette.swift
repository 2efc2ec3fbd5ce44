/// Colours for chart series: twelve that stay distinct from each other and on white, in a fixed
/// order. Beyond twelve, colours repeat with a dash pattern so lines remain distinguishable.
enum SeriesPalette {
    static let colors = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#b8860b",
    ]

    /// The stroke colour of series `index`.
    static func color(_ index: Int) -> String { colors[index % colors.count] }

    /// The `stroke-dasharray` of series `index`: solid for the first twelve, dashed patterns after.
    static func dash(_ index: Int) -> String? {
        let patterns = [nil, "6 3", "2 3", "8 3 2 3"]
        return patterns[(index / colors.count) % patterns.count]
    }
}
