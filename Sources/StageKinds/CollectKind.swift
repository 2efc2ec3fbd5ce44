import CanonicalJSON
import Execution
import FileIO
import Foundation

/// `kind: collect` — joins the `metrics.json` of its upstreams (typically every member of a sweep,
/// `needs: [sweep[*]]`) into one table: `table.json` and `table.csv`, one row per upstream.
///
/// ```yaml
/// summary: {kind: collect, needs: ["train[*]"], with: {metrics: [loss, accuracy], sort_by: loss}}
/// ```
public struct CollectKind: BuiltinKind {
    struct Config: Decodable {
        /// Columns to keep (all numeric metrics when absent).
        var metrics: [String]?
        /// Sort rows by this metric, ascending.
        var sort_by: String?
    }

    public let name = "collect"
    /// 2: whole numbers in table.csv are written without ".0".
    public let version = 2

    public init() {}

    public func validate(config: JSONValue) throws {
        _ = try config.decodeConfig(Config.self, knownKeys: ["metrics", "sort_by"])
    }

    public func run(config: JSONValue, context: BuiltinContext) async throws {
        let config = try config.decodeConfig(Config.self, knownKeys: ["metrics", "sort_by"])
        var rows: [(stage: String, values: [String: Double])] = []
        for (stage, folder) in context.upstreamOutputs.sorted(by: { $0.key < $1.key }) {
            var values: [String: Double] = [:]
            if let data = FileContents.read(folder + "/metrics.json") {
                guard let parsed = try? JSONValue.parse(data) else {
                    throw BuiltinConfigError(field: "metrics", problem: "\(stage)/metrics.json is not valid JSON")
                }
                Self.flatten(parsed, prefix: "", into: &values)
            } else {
                context.log("\(stage): no metrics.json")
            }
            rows.append((stage, values))
        }
        let columns = config.metrics ?? Array(Set(rows.flatMap { $0.values.keys })).sorted()
        if let key = config.sort_by {
            rows.sort { ($0.values[key] ?? .infinity) < ($1.values[key] ?? .infinity) }
        }
        let json = JSONValue.array(rows.map { row in
            var object: [String: JSONValue] = ["stage": .string(row.stage)]
            for c in columns { object[c] = row.values[c].map { .double($0) } ?? .null }
            return .object(object)
        })
        try Data(json.canonicalBytes).write(to: URL(fileURLWithPath: context.outputDirectory + "/table.json"))
        var csv = (["stage"] + columns).map(Self.csvField).joined(separator: ",") + "\n"
        for row in rows {
            csv += ([row.stage] + columns.map { row.values[$0].map(Self.number) ?? "" }).map(Self.csvField).joined(separator: ",") + "\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: context.outputDirectory + "/table.csv"))
        context.log("collected \(rows.count) rows × \(columns.count) metrics")
    }

    static func flatten(_ value: JSONValue, prefix: String, into result: inout [String: Double]) {
        switch value {
        case .int, .double: result[prefix] = value.doubleValue
        case .object(let members): for (k, v) in members { flatten(v, prefix: prefix.isEmpty ? k : prefix + "." + k, into: &result) }
        default: break
        }
    }

    /// Whole numbers without a trailing ".0".
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
