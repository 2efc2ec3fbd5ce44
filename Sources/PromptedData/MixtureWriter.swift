import CanonicalJSON
import FileIO
import Foundation

/// Writes a mixture as xP3 writes its release: one JSON-lines file per (language, task, template)
/// with `{"inputs", "targets", "task", "template", "lang", "split"}` records — training tasks under
/// `xp3/<lang>/`, held-out tasks under `heldout/<lang>/` — and the count table (`counts.json`,
/// `counts.md`) per (task, template, language), with what each rule dropped.
public enum MixtureWriter {
    public static func write(_ examples: [MixtureBuilder.Example], counts: [MixtureBuilder.Count], to output: String) throws {
        var files: [String: [UInt8]] = [:]
        for e in examples {
            let folder = e.heldOut ? "heldout" : "xp3"
            let path = "\(folder)/\(e.lang.isEmpty ? "und" : e.lang)/\(e.task).\(e.template).jsonl"
            let line = JSONValue.object(["inputs": .string(e.inputs), "targets": .string(e.targets), "task": .string(e.task),
                                         "template": .string(e.template), "lang": .string(e.lang), "split": .string(e.heldOut ? "heldout" : "train")])
            files[path, default: []] += line.canonicalBytes + [0x0A]
        }
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
            try FileManager.default.createDirectory(atPath: ((output + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: output + "/" + path)
        }
        let rows = counts.map { c -> JSONValue in
            .object(["task": .string(c.task), "template": .string(c.template), "lang": .string(c.lang), "held_out": .bool(c.heldOut),
                     "examples": .int(c.kept), "dropped_empty": .int(c.empty), "dropped_multi_target": .int(c.multiTarget),
                     "dropped_duplicate": .int(c.duplicate), "dropped_contaminated": .int(c.contaminated), "over_cap": .int(c.capped)])
        }
        let summary = JSONValue.object(["format": .string("trellis.prompts.counts"), "version": .int(1), "rows": .array(rows),
                                        "examples": .int(examples.filter { !$0.heldOut }.count), "held_out_examples": .int(examples.filter(\.heldOut).count)])
        try AtomicFile.write(summary.canonicalBytes + [0x0A], to: output + "/counts.json")
        var table = "| task | template | lang | held out | examples | empty | multi-target | duplicate | contaminated | over cap |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|\n"
        for c in counts {
            table += "| \(c.task) | \(c.template) | \(c.lang) | \(c.heldOut ? "yes" : "") | \(c.kept) | \(c.empty) | \(c.multiTarget) | \(c.duplicate) | \(c.contaminated) | \(c.capped) |\n"
        }
        try AtomicFile.write(table, to: output + "/counts.md")
    }
}
