/// Orders the vertices within each layer of a `LayeredGraph` to reduce edge crossings, with the
/// barycenter heuristic: alternating sweeps sort each layer by the mean position of its neighbours
/// in the layer just fixed, and the ordering with the fewest crossings seen is kept. Ties keep the
/// previous order, so the result depends only on the input.
enum LayerOrdering {
    /// Down-and-up sweep pairs tried.
    static let sweeps = 12

    /// Vertex lists per layer, top to bottom.
    static func order(_ graph: LayeredGraph) -> [[Int]] {
        var layers = Array(repeating: [Int](), count: graph.layerCount)
        for v in graph.layer.indices { layers[graph.layer[v]].append(v) }
        var best = layers
        var fewest = crossings(layers, graph)
        guard fewest > 0 else { return best }
        for _ in 0..<sweeps {
            for l in layers.indices.dropFirst() {
                layers[l] = sortByBarycenter(layers[l], neighbours: graph.predecessors, reference: layers[l - 1])
            }
            for l in layers.indices.reversed().dropFirst() {
                layers[l] = sortByBarycenter(layers[l], neighbours: graph.successors, reference: layers[l + 1])
            }
            let count = crossings(layers, graph)
            if count < fewest {
                fewest = count
                best = layers
                if count == 0 { break }
            }
        }
        return best
    }

    /// `layer` sorted by the mean position of each vertex's neighbours in `reference`; a vertex with
    /// no neighbours there keeps its current position as its key.
    static func sortByBarycenter(_ layer: [Int], neighbours: [[Int]], reference: [Int]) -> [Int] {
        var position: [Int: Int] = [:]
        for (i, v) in reference.enumerated() { position[v] = i }
        let keyed = layer.enumerated().map { (current, v) -> (key: Double, current: Int, vertex: Int) in
            let spots = neighbours[v].compactMap { position[$0] }
            let key = spots.isEmpty ? Double(current) : Double(spots.reduce(0, +)) / Double(spots.count)
            return (key, current, v)
        }
        return keyed.sorted { ($0.key, $0.current) < ($1.key, $1.current) }.map(\.vertex)
    }

    /// Total edge crossings between all adjacent layer pairs.
    static func crossings(_ layers: [[Int]], _ graph: LayeredGraph) -> Int {
        var total = 0
        for l in layers.indices.dropLast() {
            var position: [Int: Int] = [:]
            for (i, v) in layers[l + 1].enumerated() { position[v] = i }
            var ends: [(Int, Int)] = []
            for (i, u) in layers[l].enumerated() {
                for v in graph.successors[u] { if let j = position[v] { ends.append((i, j)) } }
            }
            ends.sort { $0 < $1 }
            // Two edges cross when their upper ends are in one order and their lower ends in the other.
            for a in ends.indices {
                for b in (a + 1)..<ends.count where ends[a].0 < ends[b].0 && ends[a].1 > ends[b].1 { total += 1 }
            }
        }
        return total
    }
}
