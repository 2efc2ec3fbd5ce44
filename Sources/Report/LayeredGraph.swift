/// A DAG split into layers (columns) by longest path, made "proper" for drawing: every edge that
/// spans several layers is replaced by a chain through virtual vertices, one per layer crossed, so
/// the ordering pass can keep long edges out of the way of boxes. Long edges leaving the same
/// source share their virtual vertices (one lane per source and layer).
///
/// Vertices `0..<realCount` are the distinct nodes of the input, in input order; the rest are virtual.
struct LayeredGraph {
    /// How many vertices are real nodes.
    let realCount: Int
    /// Each real vertex's index in `ReportDAG.nodes` (the first node with that id).
    let nodeIndex: [Int]
    /// Each vertex's layer.
    let layer: [Int]
    /// Edges between adjacent layers, as successor lists.
    let successors: [[Int]]
    /// Edges between adjacent layers, as predecessor lists.
    let predecessors: [[Int]]
    /// The drawn edges: each original dependency with the virtual vertices it passes through.
    let chains: [Chain]
    let layerCount: Int

    /// One original edge `from → to` (real vertices) routed through `via` (virtual ones, in order).
    struct Chain {
        let from: Int
        let to: Int
        let via: [Int]
    }

    /// Builds the layering. Duplicate node ids keep their first occurrence; edges naming unknown
    /// nodes, self-loops and duplicate edges are ignored. If the input has a cycle, the edges that
    /// would point backwards (or within a layer) are dropped rather than failing the report.
    init(_ dag: ReportDAG) {
        var indexOfId: [String: Int] = [:]
        var nodeIndex: [Int] = []
        for (i, node) in dag.nodes.enumerated() where indexOfId[node.id] == nil {
            indexOfId[node.id] = nodeIndex.count
            nodeIndex.append(i)
        }
        let n = nodeIndex.count
        var seen = Set<[Int]>()
        var edges: [(Int, Int)] = []
        for edge in dag.edges {
            guard let u = indexOfId[edge.from], let v = indexOfId[edge.to], u != v, seen.insert([u, v]).inserted else { continue }
            edges.append((u, v))
        }
        let layer = LayeredGraph.longestPathLayers(count: n, edges: edges)

        var layerOf = layer
        var successors = Array(repeating: [Int](), count: n)
        var predecessors = Array(repeating: [Int](), count: n)
        var chains: [Chain] = []
        // Long edges from one source share their lane through each layer: one virtual vertex per
        // (source, layer), so six edges from `corpus` cross the next column as one line, then fan out.
        var lane: [[Int]: Int] = [:]
        func connect(_ a: Int, _ b: Int) {
            guard !successors[a].contains(b) else { return }
            successors[a].append(b)
            predecessors[b].append(a)
        }
        for (u, v) in edges where layer[v] > layer[u] {
            var via: [Int] = []
            var previous = u
            for l in (layer[u] + 1)..<layer[v] {
                let virtual: Int
                if let shared = lane[[u, l]] {
                    virtual = shared
                } else {
                    virtual = layerOf.count
                    lane[[u, l]] = virtual
                    layerOf.append(l)
                    successors.append([])
                    predecessors.append([])
                }
                connect(previous, virtual)
                via.append(virtual)
                previous = virtual
            }
            connect(previous, v)
            chains.append(Chain(from: u, to: v, via: via))
        }
        self.realCount = n
        self.nodeIndex = nodeIndex
        self.layer = layerOf
        self.successors = successors
        self.predecessors = predecessors
        self.chains = chains
        self.layerCount = (layer.max() ?? -1) + 1
    }

    /// Layer of each vertex: 0 for sources, otherwise one more than its deepest predecessor. A
    /// source is then moved right to sit just before its nearest consumer, which shortens its edges.
    static func longestPathLayers(count n: Int, edges: [(Int, Int)]) -> [Int] {
        var predecessors = Array(repeating: [Int](), count: n)
        var successors = Array(repeating: [Int](), count: n)
        for (u, v) in edges {
            successors[u].append(v)
            predecessors[v].append(u)
        }
        // Kahn's algorithm in input order; vertices left on a cycle are placed afterwards in input order.
        var indegree = predecessors.map(\.count)
        var queue = (0..<n).filter { indegree[$0] == 0 }
        var order: [Int] = []
        var head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            order.append(u)
            for v in successors[u] {
                indegree[v] -= 1
                if indegree[v] == 0 { queue.append(v) }
            }
        }
        var placed = Array(repeating: false, count: n)
        for u in order { placed[u] = true }
        order += (0..<n).filter { !placed[$0] }

        var layer = Array(repeating: 0, count: n)
        var done = Array(repeating: false, count: n)
        for v in order {
            layer[v] = predecessors[v].filter { done[$0] }.map { layer[$0] + 1 }.max() ?? 0
            done[v] = true
        }
        for u in 0..<n where predecessors[u].isEmpty {
            if let nearest = successors[u].map({ layer[$0] }).filter({ $0 > layer[u] }).min() { layer[u] = nearest - 1 }
        }
        return layer
    }
}
