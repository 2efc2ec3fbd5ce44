import CanonicalJSON

/// `trellis why`: the differences between the key components of the last successful execution
/// and the current ones, one readable line per changed ingredient.
public enum KeyDiff {
    public static func reasons(old: JSONValue, new: JSONValue, pendingUpstreams: [String] = []) -> [String] {
        guard let o = old.objectValue, let n = new.objectValue else { return ["no recorded key components to compare"] }
        var lines: [String] = []
        if o["schema"] != n["schema"] {
            lines.append("key format changed (\(o["schema"]?.displayText ?? "?") → \(n["schema"]?.displayText ?? "?"))")
        }
        if o["kind"] != n["kind"] {
            lines.append("stage kind changed: \(o["kind"]?.displayText ?? "?") → \(n["kind"]?.displayText ?? "?")")
        } else {
            let kind = n["kind"]?.displayText ?? "?"
            if o["kind_version"] != n["kind_version"] {
                lines.append("kind '\(kind)' version changed: \(o["kind_version"]?.displayText ?? "none") → \(n["kind_version"]?.displayText ?? "none")")
            }
            if o["code"] != n["code"] {
                // Components recorded before code digests entered keys have none.
                if o["code"] == nil {
                    lines.append("kind '\(kind)': its code now enters the key (recorded before trellis keyed builtin stages by their code)")
                } else {
                    lines += mapChanges(o["code"], n["code"], noun: "kind '\(kind)': code of", digests: true)
                }
            }
        }
        // Params first: they are usually the cause of the command or config change that follows.
        lines += mapChanges(o["params"], n["params"], noun: "param")
        if o["command"] != n["command"] {
            lines.append("command changed\n      was: \(o["command"]?.displayText ?? "(none)")\n      now: \(n["command"]?.displayText ?? "(none)")")
        }
        lines += valueChanges(o["config"] ?? .object([:]), n["config"] ?? .object([:]), prefix: "with.", noun: "config")
        lines += mapChanges(o["files"], n["files"], noun: "file", digests: true)
        let oldUp = o["upstream"]?.objectValue ?? [:], newUp = n["upstream"]?.objectValue ?? [:]
        for name in Set(oldUp.keys).union(newUp.keys).union(pendingUpstreams).sorted() {
            if pendingUpstreams.contains(name) {
                lines.append("upstream \(name) is not up to date and will run first")
            } else if oldUp[name] == nil {
                lines.append("new upstream \(name)")
            } else if newUp[name] == nil {
                lines.append("upstream \(name) removed")
            } else if oldUp[name] != newUp[name] {
                lines.append("upstream \(name) produced different output (\(short(oldUp[name])) → \(short(newUp[name])))")
            }
        }
        lines += mapChanges(o["env"], n["env"], noun: "env")
        if o["salt"] != n["salt"] {
            lines.append("salt changed: \(o["salt"]?.displayText ?? "(none)") → \(n["salt"]?.displayText ?? "(none)")")
        }
        return lines
    }

    private static func mapChanges(_ old: JSONValue?, _ new: JSONValue?, noun: String, digests: Bool = false) -> [String] {
        let o = old?.objectValue ?? [:], n = new?.objectValue ?? [:]
        var lines: [String] = []
        for name in Set(o.keys).union(n.keys).sorted() {
            switch (o[name], n[name]) {
            case (nil, let v?): lines.append("\(noun) \(name) added" + (digests ? "" : " (= \(v.displayText))"))
            case (let v?, nil): lines.append("\(noun) \(name) removed" + (digests ? "" : " (was \(v.displayText))"))
            case (let a?, let b?) where a != b:
                lines.append(digests ? "\(noun) \(name) changed (\(short(a)) → \(short(b)))" : "\(noun) \(name): \(a.displayText) → \(b.displayText)")
            default: break
            }
        }
        return lines
    }

    private static func valueChanges(_ old: JSONValue, _ new: JSONValue, prefix: String, noun: String) -> [String] {
        if old == new { return [] }
        if let o = old.objectValue, let n = new.objectValue {
            return Set(o.keys).union(n.keys).sorted().flatMap { key in
                valueChanges(o[key] ?? .null, n[key] ?? .null, prefix: prefix + key + ".", noun: noun)
            }
        }
        return ["\(String(prefix.dropLast())): \(old == .null ? "(unset)" : old.displayText) → \(new == .null ? "(unset)" : new.displayText)"]
    }

    private static func short(_ v: JSONValue?) -> String { String((v?.displayText ?? "?").prefix(12)) }
}
