import CanonicalJSON
import Foundation
import PipelineSpec
import PromptTemplates

/// Reads lm-evaluation-harness task YAML. Every field is either understood or an error naming
/// file, line and column — never ignored. `include:` merges a base file (its keys, then this file's),
/// as the harness does.
public enum HarnessTaskReader {
    static let supported: Set<String> = [
        "task", "task_alias", "tag", "include", "dataset_path", "dataset_name", "dataset_kwargs", "training_split", "validation_split",
        "test_split", "fewshot_split", "doc_to_text", "doc_to_target", "doc_to_choice", "description", "target_delimiter",
        "fewshot_delimiter", "fewshot_config", "num_fewshot", "metric_list", "output_type", "generation_kwargs", "repeats",
        "should_decontaminate", "metadata", "prompts",
    ]
    static let promptFields: Set<String> = ["name", "doc_to_text", "doc_to_target", "doc_to_choice", "description", "target_delimiter", "fewshot_delimiter"]

    /// Reads a task file; relative `data_files` resolve against `dataRoot` (the harness resolves them
    /// against its working directory, so `trellis eval` defaults to the current directory too).
    public static func read(_ path: String, dataRoot: String) throws -> HarnessTask {
        let members = try membersWithIncludes(path, depth: 0)
        return try decode(members, file: path, dataRoot: dataRoot)
    }

    /// The file's top-level members, after those of its `include` chain (later files win).
    static func membersWithIncludes(_ path: String, depth: Int) throws -> [String: SourceNode.Member] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw TaskFileError(SourceLocation(file: path, line: 1, column: 1), "cannot read the task file: \(isFolder.boolValue ? "it is a folder" : "no such file")")
        }
        let root = try YAMLReader().read(file: path)
        guard let members = root.members else {
            throw TaskFileError(root.location, "a task file is a mapping of fields (task, dataset_path, doc_to_text, …), found a \(root.typeName)")
        }
        var merged: [String: SourceNode.Member] = [:]
        if let include = members.first(where: { $0.key == "include" }) {
            guard depth < 8 else { throw TaskFileError(include.keyLocation, "'include' nested more than 8 files deep (a cycle?)") }
            guard case .string(let base)? = include.value.scalar else { throw TaskFileError(include.value.location, "'include' must be a file name") }
            let resolved = base.hasPrefix("/") ? base : (path as NSString).deletingLastPathComponent + "/" + base
            guard FileManager.default.fileExists(atPath: resolved) else { throw TaskFileError(include.value.location, "included file '\(base)' does not exist (looked at \(resolved))") }
            merged = try membersWithIncludes(resolved, depth: depth + 1)
        }
        for member in members where member.key != "include" {
            guard supported.contains(member.key) else {
                let near = Suggestion.closest(to: member.key, among: Array(supported))
                throw TaskFileError(member.keyLocation, "unsupported field '\(member.key)'",
                                    hint: near.map { "did you mean '\($0)'?" } ?? "docs/evaluation.md lists the fields Trellis reads")
            }
            merged[member.key] = member
        }
        return merged
    }

    static func decode(_ m: [String: SourceNode.Member], file: String, dataRoot: String) throws -> HarnessTask {
        let top = SourceLocation(file: file, line: 1, column: 1)
        guard let taskMember = m["task"] else { throw TaskFileError(top, "a task file needs 'task' (the task's name)") }
        let name = try string(taskMember)
        let fields = FieldReader(task: name)

        guard let pathMember = m["dataset_path"] else { throw TaskFileError(top, task: name, "needs 'dataset_path: json' or 'csv' with dataset_kwargs.data_files") }
        let format = try string(pathMember)
        guard format == "json" || format == "csv" else {
            throw TaskFileError(pathMember.value.location, task: name, "dataset_path '\(format)' is a Hugging Face hub dataset; Trellis reads local files only",
                                hint: "use dataset_path: json (or csv) with dataset_kwargs: {data_files: {test: FILE.jsonl}}")
        }
        if let dn = m["dataset_name"], dn.value.scalar != .null { throw TaskFileError(dn.value.location, task: name, "dataset_name applies to hub datasets only") }
        let dataFiles = try readDataFiles(m["dataset_kwargs"], task: name, dataRoot: dataRoot, top: top)

        let outputType: HarnessTask.OutputType
        if let o = m["output_type"] {
            let text = try string(o)
            guard let t = HarnessTask.OutputType(rawValue: text) else {
                throw TaskFileError(o.value.location, task: name, "unknown output_type '\(text)' (one of: \(HarnessTask.OutputType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            outputType = t
        } else { outputType = .generateUntil }

        var task = HarnessTask(name: name, alias: try m["task_alias"].map(string), file: file, location: taskMember.keyLocation,
                               datasetFormat: format, dataFiles: dataFiles,
                               testSplit: try m["test_split"].map(string), validationSplit: try m["validation_split"].map(string),
                               trainingSplit: try m["training_split"].map(string), fewshotSplit: try m["fewshot_split"].map(string),
                               outputType: outputType, prompts: [], numFewshot: nil, fewshotSampler: "default", until: nil,
                               maxGenerationTokens: 256, metrics: [], version: nil,
                               configuration: .object(m.mapValues(\.value.json)))
        if task.testSplit == nil && task.validationSplit == nil {
            throw TaskFileError(top, task: name, "needs test_split or validation_split (the split to score)")
        }
        for split in [task.testSplit, task.validationSplit, task.trainingSplit, task.fewshotSplit].compactMap({ $0 }) where dataFiles[split] == nil {
            throw TaskFileError(m["dataset_kwargs"]?.value.location ?? top, task: name, "split '\(split)' has no file in dataset_kwargs.data_files (has: \(dataFiles.keys.sorted().joined(separator: ", ")))")
        }
        if let n = m["num_fewshot"] {
            let k = try integer(n, task: name)
            guard (0...1_000).contains(k) else { throw TaskFileError(n.value.location, task: name, "num_fewshot must be between 0 and 1000, found \(k)") }
            task.numFewshot = k
        }
        if let f = m["fewshot_config"] {
            for member in f.value.members ?? [] {
                guard member.key == "sampler" else { throw TaskFileError(member.keyLocation, task: name, "unsupported field 'fewshot_config.\(member.key)' (supported: sampler)") }
                let sampler = try string(member)
                guard sampler == "default" || sampler == "first_n" else { throw TaskFileError(member.value.location, task: name, "fewshot sampler '\(sampler)' is not one of: default, first_n") }
                task.fewshotSampler = sampler
            }
        }
        try readGeneration(m["generation_kwargs"], into: &task)
        for flag in ["repeats", "should_decontaminate"] {
            guard let member = m[flag] else { continue }
            let v = member.value.scalar
            if flag == "repeats" ? v != .int(1) : v != .bool(false) {
                throw TaskFileError(member.value.location, task: name, "'\(flag)' other than its default (\(flag == "repeats" ? "1" : "false")) is not supported")
            }
        }
        if let meta = m["metadata"], let v = meta.value.members?.first(where: { $0.key == "version" }) {
            task.version = v.value.json.displayText
        }
        task.metrics = try readMetrics(m["metric_list"], outputType: outputType, task: name)

        let base = try fields.prompt(named: name, from: m, defaults: nil, location: taskMember.keyLocation)
        if let list = m["prompts"] {
            guard let items = list.value.items, !items.isEmpty else { throw TaskFileError(list.value.location, task: name, "'prompts' must be a non-empty list of prompts") }
            var seen = Set<String>()
            for item in items {
                guard let members = item.members else { throw TaskFileError(item.location, task: name, "each prompt is a mapping with a name and doc_to_* fields") }
                var pm: [String: SourceNode.Member] = [:]
                for member in members {
                    guard promptFields.contains(member.key) else {
                        throw TaskFileError(member.keyLocation, task: name, "unsupported prompt field '\(member.key)' (supported: \(promptFields.sorted().joined(separator: ", ")))")
                    }
                    pm[member.key] = member
                }
                guard let n = pm["name"] else { throw TaskFileError(item.location, task: name, "each prompt needs a name") }
                let promptName = try string(n)
                guard seen.insert(promptName).inserted else { throw TaskFileError(n.value.location, task: name, "two prompts are named '\(promptName)'") }
                task.prompts.append(try fields.prompt(named: promptName, from: pm, defaults: base, location: item.location))
            }
        } else {
            task.prompts = [base]
        }
        for prompt in task.prompts {
            if prompt.docToText == nil { throw TaskFileError(prompt.location, task: name, prompt: prompt.name, "needs doc_to_text") }
            if prompt.docToTarget == nil { throw TaskFileError(prompt.location, task: name, prompt: prompt.name, "needs doc_to_target") }
            if outputType == .multipleChoice && prompt.docToChoice == nil {
                throw TaskFileError(prompt.location, task: name, prompt: prompt.name, "output_type multiple_choice needs doc_to_choice")
            }
            if case .list(let choices)? = prompt.docToChoice, choices.count < 2 {
                throw TaskFileError(prompt.fieldLocations["doc_to_choice"] ?? prompt.location, task: name, prompt: prompt.name,
                                    "doc_to_choice lists \(choices.count) choice; multiple choice needs at least 2")
            }
        }
        return task
    }

    static func readDataFiles(_ member: SourceNode.Member?, task: String, dataRoot: String, top: SourceLocation) throws -> [String: [String]] {
        guard let member, let kwargs = member.value.members else {
            throw TaskFileError(member?.value.location ?? top, task: task, "needs dataset_kwargs: {data_files: {test: FILE}} (local JSON lines or CSV)")
        }
        var files: [String: [String]] = [:]
        let folder = dataRoot
        func resolve(_ node: SourceNode) throws -> [String] {
            let names: [String]
            if case .string(let s)? = node.scalar { names = [s] } else if let items = node.items {
                names = try items.map { item in
                    guard case .string(let s)? = item.scalar else { throw TaskFileError(item.location, task: task, "a data file is a path string") }
                    return s
                }
            } else { throw TaskFileError(node.location, task: task, "data_files entries are a path or a list of paths") }
            return names.map { $0.hasPrefix("/") ? $0 : (folder.isEmpty ? $0 : folder + "/" + $0) }
        }
        for k in kwargs {
            guard k.key == "data_files" else { throw TaskFileError(k.keyLocation, task: task, "unsupported field 'dataset_kwargs.\(k.key)' (supported: data_files)") }
            if let splits = k.value.members {
                for split in splits { files[split.key] = try resolve(split.value) }
            } else {
                files["train"] = try resolve(k.value)   // HF datasets: files without a split name are "train"
            }
        }
        guard !files.isEmpty else { throw TaskFileError(member.value.location, task: task, "dataset_kwargs needs data_files") }
        return files
    }

    static func readGeneration(_ member: SourceNode.Member?, into task: inout HarnessTask) throws {
        guard let member else {
            if task.outputType == .generateUntil { task.until = nil }   // the harness default: the prompt's few-shot delimiter
            return
        }
        guard let members = member.value.members else { throw TaskFileError(member.value.location, task: task.name, "generation_kwargs must be a mapping") }
        for g in members {
            switch g.key {
            case "until":
                if case .string(let s)? = g.value.scalar { task.until = [s] } else if let items = g.value.items {
                    task.until = try items.map { try string(SourceNode.Member(key: "until", keyLocation: $0.location, value: $0)) }
                } else { throw TaskFileError(g.value.location, task: task.name, "until is a string or a list of strings") }
            case "max_gen_toks":
                let n = try integer(g, task: task.name)
                guard (1...100_000).contains(n) else { throw TaskFileError(g.value.location, task: task.name, "max_gen_toks must be between 1 and 100000") }
                task.maxGenerationTokens = n
            case "do_sample":
                guard g.value.scalar == .bool(false) else { throw TaskFileError(g.value.location, task: task.name, "only greedy decoding (do_sample: false) is supported") }
            case "temperature":
                guard g.value.scalar == .int(0) || g.value.scalar == .double(0) else {
                    throw TaskFileError(g.value.location, task: task.name, "only greedy decoding (temperature: 0) is supported")
                }
            default:
                throw TaskFileError(g.keyLocation, task: task.name, "unsupported field 'generation_kwargs.\(g.key)' (supported: until, max_gen_toks, do_sample, temperature)")
            }
        }
    }

    static func readMetrics(_ member: SourceNode.Member?, outputType: HarnessTask.OutputType, task: String) throws -> [HarnessTask.Metric] {
        guard let member else {
            return outputType.defaultMetrics.map { HarnessTask.Metric(name: $0, options: [:], higherIsBetter: !$0.contains("perplexity") && $0 != "bits_per_byte") }
        }
        guard let items = member.value.items, !items.isEmpty else { throw TaskFileError(member.value.location, task: task, "metric_list must be a non-empty list") }
        return try items.map { item in
            guard let fields = item.members, let metricMember = fields.first(where: { $0.key == "metric" }) else {
                throw TaskFileError(item.location, task: task, "each metric_list entry needs 'metric'")
            }
            let name = try string(metricMember)
            guard outputType.supportedMetrics.contains(name) else {
                throw TaskFileError(metricMember.value.location, task: task,
                                    "metric '\(name)' is not available for \(outputType.rawValue) (available: \(outputType.supportedMetrics.sorted().joined(separator: ", ")))")
            }
            var metric = HarnessTask.Metric(name: name, options: [:], higherIsBetter: !name.contains("perplexity") && name != "bits_per_byte")
            for f in fields where f.key != "metric" {
                switch f.key {
                case "aggregation":
                    let expected = ["bleu", "chrf", "chrf++", "perplexity", "word_perplexity", "byte_perplexity", "bits_per_byte"].contains(name) ? name : "mean"
                    let given = try string(f)
                    let accepted = given == expected || (["word_perplexity", "byte_perplexity"].contains(name) && given == "weighted_perplexity")
                    guard accepted else { throw TaskFileError(f.value.location, task: task, "metric '\(name)' aggregates by '\(expected)', not '\(given)'") }
                case "higher_is_better":
                    guard case .bool(let b)? = f.value.scalar else { throw TaskFileError(f.value.location, task: task, "higher_is_better must be true or false") }
                    metric.higherIsBetter = b
                case "ignore_case", "ignore_punctuation", "ignore_numbers", "use_stemmer":
                    guard case .bool(let b)? = f.value.scalar else { throw TaskFileError(f.value.location, task: task, "\(f.key) must be true or false") }
                    let allowed = f.key == "use_stemmer" ? name.hasPrefix("rouge") : name == "exact_match"
                    guard allowed else { throw TaskFileError(f.keyLocation, task: task, "'\(f.key)' does not apply to metric '\(name)'") }
                    metric.options[f.key] = .bool(b)
                case "regexes_to_ignore":
                    guard name == "exact_match", let list = f.value.items else { throw TaskFileError(f.value.location, task: task, "regexes_to_ignore is a list of patterns for exact_match") }
                    metric.options[f.key] = .strings(try list.map { try string(SourceNode.Member(key: f.key, keyLocation: $0.location, value: $0)) })
                default:
                    throw TaskFileError(f.keyLocation, task: task, "unsupported metric field '\(f.key)'")
                }
            }
            return metric
        }
    }

    static func string(_ member: SourceNode.Member) throws -> String {
        switch member.value.scalar {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .double(let d)?: return String(d)
        default: throw TaskFileError(member.value.location, "'\(member.key)' must be a string, found a \(member.value.typeName)")
        }
    }

    static func integer(_ member: SourceNode.Member, task: String) throws -> Int {
        guard case .int(let i)? = member.value.scalar else {
            throw TaskFileError(member.value.location, task: task, "'\(member.key)' must be an integer, found \(member.value.json.displayText)")
        }
        return i
    }
}
