/// `extends:` — an override file deep-merges into its base: mappings merge key by key, any other
/// value replaces. Within a stage, setting `run` drops the base's `kind`/`with` and setting `kind`
/// drops the base's `run`, so an override can switch a stage between shell and builtin.
enum ManifestMerger {
    static func merge(base: SourceNode, override: SourceNode, path: [String] = []) -> SourceNode {
        guard var baseMembers = base.members, let overrideMembers = override.members else { return override }
        if path.count == 2 && path[0] == "stages" {
            let overrideKeys = Set(overrideMembers.map(\.key))
            if overrideKeys.contains("run") { baseMembers.removeAll { $0.key == "kind" || $0.key == "with" } }
            if overrideKeys.contains("kind") { baseMembers.removeAll { $0.key == "run" } }
        }
        for member in overrideMembers {
            if let i = baseMembers.firstIndex(where: { $0.key == member.key }) {
                baseMembers[i].value = merge(base: baseMembers[i].value, override: member.value, path: path + [member.key])
            } else {
                baseMembers.append(member)
            }
        }
        return SourceNode(.mapping(baseMembers), at: base.location)
    }
}
