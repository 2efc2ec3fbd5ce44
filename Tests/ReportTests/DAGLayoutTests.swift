import Testing
@testable import Report

@Suite struct DAGLayoutTests {
    func dag(_ ids: [String], _ edges: [(String, String)]) -> ReportDAG {
        ReportDAG(nodes: ids.map { ReportDAGNode(id: $0, state: .fresh) }, edges: edges.map { ReportDAGEdge(from: $0.0, to: $0.1) })
    }

    func boxes(_ dag: ReportDAG) -> [String: DAGLayout.Box] {
        let layout = DAGLayout(dag, nodeWidth: 150, nodeHeight: 44)
        return Dictionary(uniqueKeysWithValues: layout.boxes.map { (dag.nodes[$0.node].id, $0) })
    }

    @Test func diamondIsLaidOutInColumnsByDepth() {
        let b = boxes(dag(["d", "b", "c", "a"], [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]))
        #expect(b["a"]!.layer == 0 && b["b"]!.layer == 1 && b["c"]!.layer == 1 && b["d"]!.layer == 2)
        #expect(b["a"]!.x < b["b"]!.x && b["b"]!.x == b["c"]!.x && b["c"]!.x < b["d"]!.x)
        #expect(b["b"]!.y != b["c"]!.y)
        // a and d sit centred between b and c.
        #expect(abs((b["b"]!.y + b["c"]!.y) / 2 - b["a"]!.y) < 0.001)
        #expect(b["a"]!.y == b["d"]!.y)
    }

    @Test func layerIsTheLongestPath() {
        let g = LayeredGraph(dag(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]))
        #expect(Array(g.layer.prefix(4)) == [0, 1, 2, 3])
        // a → c spans two layers, so it passes through one virtual vertex.
        #expect(g.layer.count == 5)
        #expect(g.chains.first { $0.from == 0 && $0.to == 2 }?.via.count == 1)
    }

    @Test func sourcesMoveNextToTheirConsumer() {
        let g = LayeredGraph(dag(["a", "b", "c", "late"], [("a", "b"), ("b", "c"), ("late", "c")]))
        #expect(g.layer[3] == 1)
    }

    @Test func longEdgesFromOneSourceShareALane() {
        let g = LayeredGraph(dag(["s", "m", "x", "y"], [("s", "m"), ("m", "x"), ("m", "y"), ("s", "x"), ("s", "y")]))
        #expect(g.layer.count == 5)
    }

    @Test func barycenterOrderingRemovesAvoidableCrossings() {
        // Input order would cross both edges: a1→b2, a2→b1.
        let graph = LayeredGraph(dag(["a1", "a2", "b1", "b2"], [("a1", "b2"), ("a2", "b1")]))
        let identity = [[0, 1], [2, 3]]
        #expect(LayerOrdering.crossings(identity, graph) == 1)
        #expect(LayerOrdering.crossings(LayerOrdering.order(graph), graph) == 0)
    }

    @Test func badInputIsTolerated() {
        let d = dag(["a", "b", "a", "c"], [("a", "b"), ("b", "a"), ("a", "zzz"), ("c", "c"), ("a", "b")])
        let layout = DAGLayout(d, nodeWidth: 150, nodeHeight: 44)
        #expect(layout.boxes.count == 3)
        #expect(layout.routes.count == 1)
    }

    @Test func boxesNeverOverlap() {
        var nodes: [String] = ["root"]
        var edges: [(String, String)] = []
        for i in 0..<40 {
            nodes.append("m\(i)")
            edges.append(("root", "m\(i)"))
            if i % 3 == 0 { nodes.append("x\(i)"); edges.append(("m\(i)", "x\(i)")); edges.append(("root", "x\(i)")) }
        }
        let layout = DAGLayout(dag(nodes, edges), nodeWidth: 150, nodeHeight: 44)
        let byLayer = Dictionary(grouping: layout.boxes, by: \.layer)
        for (_, column) in byLayer {
            let ys = column.map(\.y).sorted()
            for k in ys.indices.dropFirst() { #expect(ys[k] - ys[k - 1] >= 44) }
        }
        for box in layout.boxes { #expect(box.x >= 0 && box.y >= 0 && box.x + 150 <= layout.width && box.y + 44 <= layout.height) }
    }
}
