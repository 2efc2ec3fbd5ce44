import FileIO
import Foundation
import Models
import Optimization
import TensorEngine

/// A resumable snapshot of a training run, as a folder:
/// - `model.safetensors`: the weights (HF names), loadable with the run's `config.json`;
/// - `optimizer.safetensors`: AdamW's `exp_avg.NAME` and `exp_avg_sq.NAME`;
/// - `state.json`: format, version, step, samples, tokens, optimizer steps, the configuration digest;
/// - `metrics.jsonl`, `validation.jsonl`: the metrics written so far, so a resumed run's files
///   equal an uninterrupted run's.
///
/// Folders are written as `NAME.partial` and renamed into place, then `latest.json` is replaced
/// atomically, so a kill at any moment leaves the previous checkpoint usable.
public struct TrainingCheckpoint: Codable, Equatable, Sendable {
    public static let format = "trellis.train.checkpoint"
    public static let version = 1

    public var format = TrainingCheckpoint.format
    public var version = TrainingCheckpoint.version
    /// The next step to run.
    public var step: Int
    public var samples: Int
    public var tokens: Int
    public var optimizer_steps: Int
    public var configuration_digest: String

    public init(step: Int, samples: Int, tokens: Int, optimizerSteps: Int, configurationDigest: String) {
        self.step = step; self.samples = samples; self.tokens = tokens
        optimizer_steps = optimizerSteps; configuration_digest = configurationDigest
    }

    /// `step-000120`
    public static func folderName(step: Int) -> String { String(format: "step-%06d", step) }

    /// Writes a checkpoint of replica 0 and its optimizer under `root`, then points `latest.json` at it.
    public static func save(_ state: TrainingCheckpoint, model: BloomModel, optimizer: AdamW,
                            metricsFiles: [String], root: String) throws -> String {
        let fm = FileManager.default
        let name = folderName(step: state.step)
        let final = root + "/" + name, partial = final + ".partial"
        try? fm.removeItem(atPath: partial)
        try fm.createDirectory(atPath: partial, withIntermediateDirectories: true)
        var weights: [String: Tensor] = [:]
        for p in model.namedParameters() { weights[p.name] = p.tensor }
        try SafeTensors.write(weights, to: URL(fileURLWithPath: partial + "/model.safetensors"))
        try model.config.encode().write(to: URL(fileURLWithPath: partial + "/config.json"))
        var moments: [String: Tensor] = [:]
        for slot in optimizer.slots { moments["exp_avg." + slot.name] = slot.m; moments["exp_avg_sq." + slot.name] = slot.v }
        try SafeTensors.write(moments, to: URL(fileURLWithPath: partial + "/optimizer.safetensors"))
        for file in metricsFiles where fm.fileExists(atPath: file) {
            try fm.copyItem(atPath: file, toPath: partial + "/" + (file as NSString).lastPathComponent)
        }
        try encoded(state).write(to: URL(fileURLWithPath: partial + "/state.json"))
        try? fm.removeItem(atPath: final)
        try fm.moveItem(atPath: partial, toPath: final)
        try encoded(Latest(checkpoint: name, step: state.step)).write(to: URL(fileURLWithPath: root + "/latest.json"), options: .atomic)
        return final
    }

    /// The newest complete checkpoint under `root`, or nil when there is none.
    public static func latest(in root: String) throws -> (folder: String, state: TrainingCheckpoint)? {
        let pointer = root + "/latest.json"
        guard let data = FileContents.read(pointer).map({ Data($0) }) else { return nil }
        guard let latest = try? JSONDecoder().decode(Latest.self, from: data) else {
            throw TrainingError.corruptCheckpoint(path: pointer, problem: "not a checkpoint pointer")
        }
        let folder = root + "/" + latest.checkpoint
        guard let stateData = FileContents.read(folder + "/state.json").map({ Data($0) }),
              let state = try? JSONDecoder().decode(TrainingCheckpoint.self, from: stateData) else {
            throw TrainingError.corruptCheckpoint(path: folder + "/state.json", problem: "missing or unreadable")
        }
        guard state.format == format, state.version <= version else {
            throw TrainingError.corruptCheckpoint(path: folder, problem: "format \(state.format) version \(state.version) (this build reads \(format) ≤ \(version))")
        }
        return (folder, state)
    }

    /// Copies a checkpoint's weights and moments into every replica and optimizer.
    public static func restore(from folder: String, into models: [BloomModel], optimizers: [AdamW], state: TrainingCheckpoint) throws {
        let weights: SafeTensors, moments: SafeTensors
        do {
            weights = try SafeTensors(contentsOf: URL(fileURLWithPath: folder + "/model.safetensors"))
            moments = try SafeTensors(contentsOf: URL(fileURLWithPath: folder + "/optimizer.safetensors"))
        } catch {
            throw TrainingError.corruptCheckpoint(path: folder, problem: "\(error)")
        }
        func load(_ file: SafeTensors, _ name: String, into target: Tensor) throws {
            guard let entry = file.entries[name] else { throw TrainingError.corruptCheckpoint(path: folder, problem: "tensor \(name) is missing") }
            guard entry.shape == target.shape else {
                throw TrainingError.corruptCheckpoint(path: folder, problem: "tensor \(name) has shape \(entry.shape), expected \(target.shape)")
            }
            let source = try file.tensor(name)
            target.pointer.update(from: source.pointer, count: target.count)
        }
        for (model, optimizer) in zip(models, optimizers) {
            for p in model.namedParameters() { try load(weights, p.name, into: p.tensor) }
            for slot in optimizer.slots {
                try load(moments, "exp_avg." + slot.name, into: slot.m)
                try load(moments, "exp_avg_sq." + slot.name, into: slot.v)
            }
            optimizer.restore(stepCount: state.optimizer_steps)
        }
    }

    /// Keeps the `keep` newest optimizer states (the largest files); weights of every checkpoint stay.
    public static func prune(root: String, keep: Int) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { $0.hasPrefix("step-") && !$0.hasSuffix(".partial") }.sorted()
        for name in names.dropLast(keep) { try? FileManager.default.removeItem(atPath: root + "/" + name + "/optimizer.safetensors") }
    }

    struct Latest: Codable { var checkpoint: String; var step: Int }

    static func encoded<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}
