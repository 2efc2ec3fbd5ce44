/// Orders stage specs so that upstreams come first (as indices into `stages`); a cycle is
/// reported with its path.
enum StageOrder {
    static func topological(_ stages: [StageSpec], referencesOf: (StageSpec) throws -> [StageSpec.Need]) throws -> [Int] {
        var position: [String: Int] = [:]
        for (i, stage) in stages.enumerated() { position[stage.name] = i }
        var edges: [String: [String]] = [:]
        for stage in stages { edges[stage.name] = try referencesOf(stage).map(\.stage) }
        var state: [String: Int] = [:]   // 1 = on the current path, 2 = done
        var order: [Int] = []
        var path: [String] = []
        func visit(_ name: String) throws {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let start = path.firstIndex(of: name)!
                let cycle = Array(path[start...]) + [name]
                throw ManifestError.cycle(stages[position[name]!].location, stages: cycle.reversed())
            }
            state[name] = 1
            path.append(name)
            for upstream in edges[name] ?? [] { try visit(upstream) }
            path.removeLast()
            state[name] = 2
            order.append(position[name]!)
        }
        for stage in stages { try visit(stage.name) }
        return order
    }
}
