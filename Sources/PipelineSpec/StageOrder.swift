/// Orders stage specs so that upstreams come first; a cycle is reported with its path.
enum StageOrder {
    static func topological(_ stages: [StageSpec], referencesOf: (StageSpec) throws -> [StageSpec.Need]) throws -> [StageSpec] {
        let byName = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0) })
        var edges: [String: [String]] = [:]
        for stage in stages { edges[stage.name] = try referencesOf(stage).map(\.stage) }
        var state: [String: Int] = [:]   // 1 = on the current path, 2 = done
        var order: [StageSpec] = []
        var path: [String] = []
        func visit(_ name: String) throws {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let start = path.firstIndex(of: name)!
                let cycle = Array(path[start...]) + [name]
                throw ManifestError.cycle(byName[name]!.location, stages: cycle.reversed())
            }
            state[name] = 1
            path.append(name)
            for upstream in edges[name] ?? [] { try visit(upstream) }
            path.removeLast()
            state[name] = 2
            order.append(byName[name]!)
        }
        for stage in stages { try visit(stage.name) }
        return order
    }
}
