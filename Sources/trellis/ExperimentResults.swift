import CanonicalJSON
import FileIO
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase
import Scheduling

/// What a finished experiment holds, read from the store: each stage's state and timing, and the
/// result files of its train and eval stages (`summary.json`, `metrics.jsonl`, `validation.jsonl`,
/// `results.json`). `trellis table` and `trellis report` both read this.
struct ExperimentResults {
    struct Stage {
        var entry: PlanEntry
        var kind: String
        var seconds: Double?
        var finished: Date?
        /// The stored output folder, for a fresh stage.
        var output: String?
    }

    /// One trained model: a train stage instance and the eval instance that read it.
    struct Model {
        var name: String
        /// The stage it is a member of (`pretrain` for `pretrain[model.position=alibi]`).
        var stage: String
        var coordinates: [String: String]
        var summary: [String: Any]
        var steps: [[String: Any]]
        var validation: [[String: Any]]
        var eval: [String: Any]?
        var evalStage: String?
    }

    var stages: [Stage] = []
    var models: [Model] = []

    static func load(graph: StageGraph, workspace: Workspace) throws -> ExperimentResults {
        let entries = try workspace.plan(graph, targets: [], kindIdentity: kindIdentity)
        var results = ExperimentResults()
        for entry in entries {
            var stage = Stage(entry: entry, kind: "shell")
            if case .builtin(let kind, _) = entry.instance.action { stage.kind = kind }
            if let key = entry.key, let record = try workspace.database.producer(ofKey: key.hex) {
                if let ended = record.ended { stage.seconds = ended.timeIntervalSince(record.started) }
                stage.finished = record.ended
            }
            if entry.state == .fresh, let tree = entry.tree { stage.output = try? workspace.trees.materialize(tree) }
            results.stages.append(stage)
        }
        for stage in results.stages where stage.kind == "train" {
            guard let folder = stage.output else { continue }
            let instance = stage.entry.instance
            var model = Model(name: instance.name, stage: instance.stage, coordinates: instance.coordinates.mapValues(Self.text),
                              summary: Self.object(folder + "/summary.json") ?? [:],
                              steps: Self.lines(folder + "/metrics.jsonl"), validation: Self.lines(folder + "/validation.jsonl"))
            if let eval = results.stages.first(where: { $0.kind == "eval" && $0.entry.instance.upstream.contains(instance.name) }) {
                model.evalStage = eval.entry.instance.name
                model.eval = eval.output.flatMap { Self.object($0 + "/results.json") }
            }
            results.models.append(model)
        }
        return results
    }

    /// `position=alibi, embedding_layernorm=true` for a matrix member (axes without their `with` prefix), else the name.
    static func shortLabel(_ model: Model) -> String {
        guard !model.coordinates.isEmpty else { return model.name }
        return model.coordinates.sorted { $0.key < $1.key }.map { "\(axisName($0.key))=\($0.value)" }.joined(separator: ", ")
    }

    /// `model.position` → `position`.
    static func axisName(_ axis: String) -> String { axis.split(separator: ".").last.map(String.init) ?? axis }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        default: return value.canonicalString
        }
    }

    static func object(_ path: String) -> [String: Any]? {
        FileContents.read(path).flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    static func lines(_ path: String) -> [[String: Any]] {
        guard let data = FileContents.read(path) else { return [] }
        return data.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }
}

/// A number at a dotted path of a JSON object (`validation.en`), if present and finite.
func number(_ object: [String: Any]?, _ path: String) -> Double? {
    var current: Any? = object
    for part in path.split(separator: ".") { current = (current as? [String: Any])?[String(part)] }
    guard let value = (current as? NSNumber)?.doubleValue, value.isFinite else { return nil }
    return value
}
