import CanonicalJSON

/// Turns a merged `SourceNode` tree into a validated `Manifest`: known keys only, right types,
/// a shell command or a known kind per stage. Every error names file:line:col.
struct ManifestDecoder {
    static let topLevelKeys = ["trellis", "name", "description", "params", "stages", "extends"]
    static let stageKeys = ["run", "kind", "with", "deps", "needs", "matrix", "env", "pass_env", "resources", "salt", "publish", "description"]
    static let resourceKeys = ["cores", "memory", "gpus", "time", "partition"]
    /// Bounds that keep sums of requests far from overflowing in the schedulers.
    static let maxCores = 1 << 20, maxGPUs = 1 << 16

    var knownKinds: Set<String>?

    func decode(_ root: SourceNode, file: String, directory: String, defaultName: String) throws -> Manifest {
        let members = try mapping(root, field: "manifest")
        try checkKeys(members, allowed: Self.topLevelKeys, context: "the manifest")
        guard let version = root.member("trellis") else {
            throw ManifestError.missingField(root.location, field: "trellis", context: "the manifest (format version, e.g. 'trellis: 1')")
        }
        guard version.value.scalar == .int(1) else {
            throw ManifestError.unsupportedVersion(version.value.location, found: version.value.json.displayText)
        }
        var name = defaultName
        if let n = root.member("name") { name = try string(n.value, field: "name") }
        let params = root.member("params")?.value ?? SourceNode(.mapping([]), at: root.location)
        _ = try mapping(params, field: "params")
        var stages: [StageSpec] = []
        if let stagesNode = root.member("stages") {
            for member in try mapping(stagesNode.value, field: "stages") {
                stages.append(try decodeStage(member))
            }
        }
        return Manifest(file: file, directory: directory, name: name, params: params, stages: stages)
    }

    private func decodeStage(_ member: SourceNode.Member) throws -> StageSpec {
        let name = member.key
        guard StageName.isValid(name) else {
            throw ManifestError.invalidValue(member.keyLocation, field: "stage name", reason: "'\(name)' may use letters, digits, '_', '-' and '.' only")
        }
        let node = member.value
        let fields = try mapping(node, field: "stage '\(name)'")
        try checkKeys(fields, allowed: Self.stageKeys, context: "stage '\(name)'")
        let run = node.member("run"), kind = node.member("kind")
        let body: StageSpec.Body
        switch (run, kind) {
        case (let run?, nil):
            if let with = node.member("with") {
                throw ManifestError.invalidValue(with.keyLocation, field: "with", reason: "only builtin stages ('kind') take 'with'; shell stages interpolate ${params.NAME} in 'run'")
            }
            body = .shell(command: LocatedString(try string(run.value, field: "run"), at: run.value.location))
        case (nil, let kind?):
            let kindName = try string(kind.value, field: "kind")
            if let knownKinds, !knownKinds.contains(kindName) {
                throw ManifestError.unknownKind(kind.value.location, kind: kindName, suggestion: Suggestion.closest(to: kindName, among: knownKinds.sorted()))
            }
            body = .builtin(kind: LocatedString(kindName, at: kind.value.location), config: node.member("with")?.value)
        case (_?, _?):
            throw ManifestError.conflictingFields(kind!.keyLocation, stage: name, fields: "both 'run' and 'kind'")
        case (nil, nil):
            throw ManifestError.missingField(member.keyLocation, field: "run' or 'kind", context: "stage '\(name)'")
        }
        var spec = StageSpec(name: name, location: member.keyLocation, body: body)
        if let deps = node.member("deps") {
            spec.deps = try stringList(deps.value, field: "deps").map { LocatedString($0.0, at: $0.1) }
        }
        if let needs = node.member("needs") {
            spec.needs = try stringList(needs.value, field: "needs").map { text, location in
                let all = text.hasSuffix("[*]")
                return StageSpec.Need(stage: all ? String(text.dropLast(3)) : text, allMembers: all, location: location)
            }
        }
        if let matrix = node.member("matrix") {
            for axis in try mapping(matrix.value, field: "matrix") {
                guard !axis.key.isEmpty, !axis.key.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                    throw ManifestError.invalidValue(axis.keyLocation, field: "matrix", reason: "'\(axis.key)' is not an axis name (names are non-empty; dots separate non-empty parts)")
                }
                if axis.value.items?.isEmpty == true { throw ManifestError.emptyMatrixAxis(axis.value.location, axis: axis.key) }
                guard let values = axis.value.items else {
                    throw ManifestError.wrongType(axis.value.location, field: "matrix.\(axis.key)", expected: "a non-empty list of values", found: axis.value.typeName)
                }
                let scalars = try values.map { item -> JSONValue in
                    guard let v = item.scalar else {
                        throw ManifestError.wrongType(item.location, field: "matrix.\(axis.key)", expected: "a list of plain values", found: item.typeName)
                    }
                    return v
                }
                spec.matrix.append(.init(name: axis.key, values: scalars, location: axis.keyLocation))
            }
        }
        if let env = node.member("env") {
            for entry in try mapping(env.value, field: "env") {
                guard let v = entry.value.scalar, v != .null, v.arrayValue == nil else {
                    throw ManifestError.wrongType(entry.value.location, field: "env.\(entry.key)", expected: "a plain value", found: entry.value.typeName)
                }
                spec.env[entry.key] = LocatedString(v.displayText, at: entry.value.location)
            }
        }
        if let passEnv = node.member("pass_env") { spec.passEnv = try stringList(passEnv.value, field: "pass_env").map(\.0) }
        if let resources = node.member("resources") { spec.resources = try decodeResources(resources.value) }
        if let salt = node.member("salt") { spec.salt = salt.value.json.displayText }
        if let publish = node.member("publish") {
            let path = LocatedString(try string(publish.value, field: "publish"), at: publish.value.location)
            // With `${…}` references the value is known per instance; `ReferenceResolver` checks it then.
            if !path.value.contains("${") { _ = try PublishPath.normalized(path.value, at: path.location) }
            spec.publish = path
        }
        if let description = node.member("description") { spec.description = try string(description.value, field: "description") }
        return spec
    }

    private func decodeResources(_ node: SourceNode) throws -> Resources {
        let fields = try mapping(node, field: "resources")
        try checkKeys(fields, allowed: Self.resourceKeys, context: "resources")
        var r = Resources()
        for field in fields {
            let v = field.value
            switch field.key {
            case "cores": r.cores = try count(v, field: "resources.cores", limit: Self.maxCores)
            case "gpus": r.gpus = try count(v, field: "resources.gpus", limit: Self.maxGPUs, allowZero: true)
            case "memory": r.memoryBytes = try Quantity.bytes(v, field: "resources.memory")
            case "time": r.timeLimitSeconds = try Quantity.seconds(v, field: "resources.time")
            default: r.partition = try string(v, field: "resources.partition")
            }
        }
        return r
    }

    // MARK: - Typed access with located errors

    private func checkKeys(_ members: [SourceNode.Member], allowed: [String], context: String) throws {
        for m in members where !allowed.contains(m.key) {
            throw ManifestError.unknownKey(m.keyLocation, key: m.key, context: context, suggestion: Suggestion.closest(to: m.key, among: allowed))
        }
    }

    private func mapping(_ node: SourceNode, field: String) throws -> [SourceNode.Member] {
        if let m = node.members { return m }
        if node.scalar == .null { return [] }
        throw ManifestError.wrongType(node.location, field: field, expected: "a mapping", found: node.typeName)
    }

    private func string(_ node: SourceNode, field: String) throws -> String {
        switch node.scalar {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .double(let d)?: return "\(d)"
        default: throw ManifestError.wrongType(node.location, field: field, expected: "a string", found: node.typeName)
        }
    }

    private func stringList(_ node: SourceNode, field: String) throws -> [(String, SourceLocation)] {
        if node.scalar != nil, node.scalar != .null { return [(try string(node, field: field), node.location)] }
        guard let items = node.items ?? (node.scalar == .null ? [] : nil) else {
            throw ManifestError.wrongType(node.location, field: field, expected: "a list of strings", found: node.typeName)
        }
        return try items.map { (try string($0, field: field), $0.location) }
    }

    private func count(_ node: SourceNode, field: String, limit: Int, allowZero: Bool = false) throws -> Int {
        guard case .int(let i)? = node.scalar, i > 0 || (allowZero && i == 0) else {
            throw ManifestError.wrongType(node.location, field: field, expected: allowZero ? "a whole number ≥ 0" : "a whole number ≥ 1", found: node.json.displayText)
        }
        guard i <= limit else { throw ManifestError.valueTooLarge(node.location, field: field, value: String(i), limit: String(limit)) }
        return i
    }
}

/// Stage names are identifiers that are safe in paths, shells and member names.
enum StageName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" || $0 == "." }
    }
}
