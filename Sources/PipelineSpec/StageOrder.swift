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
        // Depth-first, with an explicit stack (a chain of many thousand stages would overflow
        // the call stack): each entry is a stage on the current path and its next upstream to visit.
        var path: [(name: String, next: Int)] = []
        func enter(_ name: String) throws {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let start = path.firstIndex { $0.name == name }!
                let cycle = path[start...].map(\.name) + [name]
                throw ManifestError.cycle(stages[position[name]!].location, stages: cycle.reversed())
            }
            state[name] = 1
            path.append((name, 0))
        }
        for stage in stages {
            try enter(stage.name)
            while let top = path.last {
                let upstreams = edges[top.name] ?? []
                if top.next < upstreams.count {
                    path[path.count - 1].next += 1
                    try enter(upstreams[top.next])
                } else {
                    path.removeLast()
                    state[top.name] = 2
                    order.append(position[top.name]!)
                }
            }
        }
        return order
    }
}
