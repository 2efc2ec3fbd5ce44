/// SplitMix64: a tiny deterministic generator, so that a fuzz run is reproducible from its seed.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Line- and token-level mutations of manifest text, the kinds of damage hands and generators do.
struct ManifestMutator {
    var random: SplitMix64

    /// Values that have broken manifest readers before: huge, negative, empty, nested, unicode,
    /// references, aliases, paths that leave the project, and quantities past every bound.
    static let weirdValues: [String] = [
        "99999999999999999999", "9223372036854775807", "-9223372036854775808", "-1", "0", "1e400", "-1e400", ".inf", ".nan",
        "-0x-8000000000000000", "0x7fffffffffffffff", "0b", "010", "1_000", "\"\"", "''", "[]", "{}", "~", "null", "yes",
        "[[[[[[[[]]]]]]]]", "{a: {b: {c: {}}}}", "[0, 1]", "[\"\", \"\"]",
        String(repeating: "x", count: 5_000), "\"" + String(repeating: "é", count: 2_000) + "\"",
        "\"🦄💥\"", "\"\u{202E}rtl\"", "\"\\u0000\"", "\"a\\tb\\nc\"", "'it''s'", "\"\u{FEFF}bom\"",
        "\"${params.greeting}\"", "\"${params.list}\"", "\"${params.nope}\"", "\"${matrix.size}\"", "\"${out}\"",
        "\"${make.out}\"", "\"${sweep[*].out}\"", "\"${train[*].out}\"", "\"${\"", "\"$${x}\"", "\"${}\"", "\"${ params.n }\"",
        "../../x", "/abs", "~/x", ".", "\"${matrix.size}/../..\"",
        "100000000000T", "\"1e400\"", "1e300s", "\"99999999999999999:00:00\"", "\"-1:00\"", "4GB", "0s",
        "*a1", "&a1 [x, y]", "&a2 {k: v}", "!!str 5", "!!int x", "!!binary x", "? x", "- a", "|", ">", "@", "`", "%", "!",
    ]

    /// Sizes, durations and counts at and past every bound.
    static let quantities = [
        "100000000000T", "\"1e400\"", "1e300s", "\"99999999999999999:00:00\"", "99999999999999999999", "9223372036854775807",
        "-9223372036854775807", ".inf", "infGB", "nans", "1e400", "0.1s", "8E", "1P", "\"1:2:3:4\"", "\"00:00\"", "0x10", "1_000GB",
    ]

    static let focus = ["resources", "memory", "time", "cores", "matrix", "publish", "extends", "${"]

    /// One to three mutations of `text`.
    mutating func mutate(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0...random.below(2) { mutateOnce(&lines) }
        return lines.joined(separator: "\n")
    }

    private mutating func mutateOnce(_ lines: inout [String]) {
        guard !lines.isEmpty else { lines = ["trellis: 1"]; return }
        let i = random.below(lines.count)
        switch random.below(17) {
        case 0: lines.remove(at: i)
        case 1: lines.insert(lines[i], at: i)
        case 2: lines.swapAt(i, random.below(lines.count))
        case 3:  // indentation
            if random.below(2) == 0 { lines[i] = String(repeating: " ", count: 1 + random.below(4)) + lines[i] } else { lines[i] = String(lines[i].drop { $0 == " " }) }
        case 4...10:  // half of the time on a line with resources, a matrix, a publish path or a reference
            let focused = lines.indices.filter { j in Self.focus.contains { lines[j].contains($0) } }
            let k = focused.isEmpty || random.below(2) == 0 ? i : random.pick(focused)
            lines[k] = replaceScalar(in: lines[k])
        case 11:  // anchor or alias
            let name = random.pick(["a1", "a2", "base", "sizes"])
            lines[i] = insert(random.below(2) == 0 ? "&\(name) " : "*\(name)", afterColonIn: lines[i])
        case 12:  // truncate the file, maybe mid-line
            lines.removeSubrange((i + 1)...)
            lines[i] = String(lines[i].prefix(random.below(lines[i].count + 1)))
        case 13:  // a stray structural character
            var chars = Array(lines[i])
            chars.insert(random.pick(Array("{}[]:-\"'$&*#|>%@!,?\t")), at: random.below(chars.count + 1))
            lines[i] = String(chars)
        case 14:  // duplicate a block (stages and keys defined twice, nested copies)
            let end = min(lines.count, i + 1 + random.below(4))
            lines.insert(contentsOf: lines[i..<end], at: random.below(lines.count + 1))
        case 15:  // a resource request with an odd value
            guard let j = lines.firstIndex(where: { $0.contains("resources: {") }), let open = lines[j].range(of: "resources: {") else { return }
            let key = random.pick(["cores", "memory", "gpus", "time", "partition"])
            let value = random.pick(random.below(2) == 0 ? Self.quantities : Self.weirdValues)
            lines[j] = String(lines[j][..<open.upperBound]) + key + ": " + value + "}" + (lines[j].hasSuffix("}}") ? "}" : "")
        default:  // a stage copied under a new name, so that clashes and fan-outs multiply
            guard let stages = lines.firstIndex(of: "stages:"), stages + 1 < lines.count else { return }
            let copy = random.below(lines.count - stages - 1) + stages + 1
            guard lines[copy].hasPrefix("  "), !lines[copy].hasPrefix("   "), let colon = lines[copy].firstIndex(of: ":") else { return }
            lines.insert("  copy\(random.below(100))" + lines[copy][colon...], at: copy + 1)
        }
    }

    /// Replaces one value in the line: after a `: ` or `- `, or one flow item after `[`, `{` or `,`.
    private mutating func replaceScalar(in line: String) -> String {
        let chars = Array(line)
        var starts: [Int] = []
        for (j, c) in chars.enumerated() where j + 1 < chars.count && chars[j + 1] == " " && (c == ":" || c == "-" || c == ",") { starts.append(j + 2) }
        for (j, c) in chars.enumerated() where c == "[" || c == "{" { starts.append(j + 1) }
        let value = random.pick(Self.weirdValues)
        guard let start = starts.isEmpty ? nil : random.pick(starts) else { return line + " " + value }
        var end = start
        while end < chars.count, !",]}".contains(chars[end]) { end += 1 }
        if random.below(3) == 0 { end = chars.count }  // sometimes the whole rest of the line
        return String(chars[..<start]) + value + String(chars[end...])
    }

    private mutating func insert(_ text: String, afterColonIn line: String) -> String {
        guard let colon = line.range(of: ": ") else { return line + " " + text }
        return String(line[..<colon.upperBound]) + text + (text.hasPrefix("*") ? "" : String(line[colon.upperBound...]))
    }
}
