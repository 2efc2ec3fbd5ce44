/// Positions for drawing a `ReportDAG` left to right: one column per layer (longest-path depth),
/// vertices stacked within a column in barycenter order and centred vertically, and each edge as a
/// list of waypoints from the right side of its source to the left side of its target.
struct DAGLayout {
    /// A real node's box.
    struct Box {
        /// Index into `ReportDAG.nodes`.
        let node: Int
        let layer: Int
        /// Position within its layer, top to bottom (virtual vertices included).
        let rank: Int
        let x: Double
        let y: Double
    }

    /// A point on an edge's route.
    struct Point: Equatable {
        let x: Double
        let y: Double
    }

    /// An edge's route. Consecutive points are joined by horizontal-tangent curves, except that
    /// each pair `(2k+1, 2k+2)` is a straight run across a column the edge passes through.
    struct Route {
        let from: Int
        let to: Int
        let points: [Point]
    }

    let boxes: [Box]
    let routes: [Route]
    let nodeWidth: Double
    let nodeHeight: Double
    /// Extent of the drawing, from (0, 0).
    let width: Double
    let height: Double

    /// Vertical space between two boxes in a column.
    static let rowGap = 14.0
    /// Vertical space a passing edge takes in a column.
    static let laneHeight = 12.0
    /// Horizontal space between columns (where edges curve).
    static let columnGap = 48.0
    /// Empty border around the drawing.
    static let padding = 12.0

    init(_ dag: ReportDAG, nodeWidth: Double, nodeHeight: Double) {
        let graph = LayeredGraph(dag)
        let layers = LayerOrdering.order(graph)
        self.nodeWidth = nodeWidth
        self.nodeHeight = nodeHeight

        func slot(_ v: Int) -> Double { v < graph.realCount ? nodeHeight : DAGLayout.laneHeight }
        func extent(_ layer: [Int]) -> Double {
            layer.isEmpty ? 0 : layer.reduce(0) { $0 + slot($1) } + Double(layer.count - 1) * DAGLayout.rowGap
        }
        let tallest = layers.map(extent).max() ?? 0

        // Vertex centres: each column is centred on the tallest one.
        var center = Array(repeating: Point(x: 0, y: 0), count: graph.layer.count)
        var boxes: [Box] = []
        for (l, layer) in layers.enumerated() {
            let left = DAGLayout.padding + Double(l) * (nodeWidth + DAGLayout.columnGap)
            var y = DAGLayout.padding + (tallest - extent(layer)) / 2
            for (rank, v) in layer.enumerated() {
                center[v] = Point(x: left + nodeWidth / 2, y: y + slot(v) / 2)
                if v < graph.realCount { boxes.append(Box(node: graph.nodeIndex[v], layer: l, rank: rank, x: left, y: y)) }
                y += slot(v) + DAGLayout.rowGap
            }
        }
        boxes.sort { ($0.layer, $0.rank) < ($1.layer, $1.rank) }

        let half = nodeWidth / 2
        routes = graph.chains.map { chain in
            var points = [Point(x: center[chain.from].x + half, y: center[chain.from].y)]
            for v in chain.via {
                points.append(Point(x: center[v].x - half, y: center[v].y))
                points.append(Point(x: center[v].x + half, y: center[v].y))
            }
            points.append(Point(x: center[chain.to].x - half, y: center[chain.to].y))
            return Route(from: graph.nodeIndex[chain.from], to: graph.nodeIndex[chain.to], points: points)
        }
        self.boxes = boxes
        let columns = Double(layers.count)
        width = 2 * DAGLayout.padding + max(0, columns * nodeWidth + (columns - 1) * DAGLayout.columnGap)
        height = 2 * DAGLayout.padding + tallest
    }
}
