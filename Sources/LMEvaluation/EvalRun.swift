import ContentDigest
import Evaluation
import FileIO
import Foundation
import Models
import Tokenization
import Training

/// Evaluates a checkpoint folder: on the corpus' held-out text and eval files (needs the train
/// stage's `training.json` for its validation split and sequence length, and the corpus), writing one
/// JSON file per task under `results/`; and on lm-evaluation-harness task files (any checkpoint),
/// writing the harness's layout under `harness/`. `results.json` and `metrics.json` sum up both.
public struct EvalRun {
    public var configuration: EvalConfiguration
    /// The checkpoint: `config.json`, `model.safetensors`, `tokenizer.json`.
    public var modelFolder: String
    /// The train stage's output (holds `training.json`), when the model came from one.
    public var trainFolder: String?
    public var corpusFolder: String?
    /// Task files (absolute) and the folder their relative data files are read from.
    public var taskFiles: [String] = []
    public var taskDataRoot = ""
    public var output: String
    public var log: (String) -> Void
    /// Called after every batch of requests (scored rows, translated pairs) and as each evaluation
    /// ends (a language's perplexity, a task at a shot count, a translation direction).
    public var onProgress: (EvalProgress) -> Void

    /// How far an evaluation run is: evaluations ended of all, requests answered, the current one.
    public struct EvalProgress: Sendable {
        public var tasksDone: Int
        public var tasksTotal: Int
        public var requests: Int
        public var task: String
    }

    public init(configuration: EvalConfiguration, modelFolder: String, trainFolder: String?, corpusFolder: String?, output: String,
                log: @escaping (String) -> Void, onProgress: @escaping (EvalProgress) -> Void = { _ in }) {
        self.configuration = configuration; self.modelFolder = modelFolder; self.trainFolder = trainFolder; self.corpusFolder = corpusFolder
        self.output = output; self.log = log; self.onProgress = onProgress
    }

    /// Whether any of the built-in corpus evaluations (perplexity, fertility, multiple choice, translation) is on.
    var corpusSectionsOn: Bool {
        let c = configuration
        return c.perplexity || c.fertility || !c.multiple_choice.isEmpty || !c.translation.isEmpty
    }

    public func run() throws {
        var summary: [String: Any] = [:]
        var headline: [String: Double] = [:]
        var finished = (tasks: 0, requests: 0)   // progress of the corpus evaluations, continued by the task files
        try FileManager.default.createDirectory(atPath: output + "/results", withIntermediateDirectories: true)
        if corpusSectionsOn {
            if let trainFolder, let corpusFolder {
                finished = try runCorpusEvaluations(trainFolder: trainFolder, corpusFolder: corpusFolder, summary: &summary, headline: &headline)
            } else if taskFiles.isEmpty {
                throw EvalError.missingInput(what: trainFolder == nil ? "training.json of a train stage" : "corpus", searched: [trainFolder ?? corpusFolder ?? modelFolder])
            } else {
                log("eval: perplexity, fertility, multiple choice and translation need a train stage and a corpus upstream; "
                    + "this model has \(trainFolder == nil ? "no train stage" : "no corpus"), so only the \(taskFiles.count) task files run")
            }
        }
        if !taskFiles.isEmpty { try runTaskFiles(summary: &summary, headline: &headline, after: finished) }
        try write(summary, to: "results.json")
        try write(headline.mapValues { $0.isFinite ? $0 as Any : NSNull() }, to: "metrics.json")
    }

    /// The task files through the harness layer; headline metrics `task/metric` (a task with several
    /// prompts: `task/metric_median`, `_min`, `_max` over its prompts).
    func runTaskFiles(summary: inout [String: Any], headline: inout [String: Double], after earlier: (tasks: Int, requests: Int)) throws {
        var options = HarnessTaskEvaluator.Options(numFewshot: configuration.num_fewshot, limit: configuration.limit, logSamples: configuration.log_samples)
        options.fewshotSeed = 1234
        var harness = HarnessEvaluation(modelFolder: modelFolder, taskFiles: taskFiles, dataRoot: taskDataRoot, options: options)
        harness.log = log
        let report = onProgress
        harness.onProgress = { done, total, requests, current in
            report(EvalProgress(tasksDone: earlier.tasks + done, tasksTotal: earlier.tasks + total, requests: earlier.requests + requests, task: current))
        }
        let outcomes = try harness.run(output: output + "/harness")
        var tasks: [[String: Any]] = []
        for outcome in outcomes {
            for metric in outcome.task.metrics {
                let scores = outcome.prompts.compactMap { $0.metrics[metric.name] }
                if outcome.prompts.count == 1, let v = scores.first {
                    headline["\(outcome.task.name)/\(metric.name)"] = v
                } else if let d = PromptDistribution(scores.filter(\.isFinite)) {
                    headline["\(outcome.task.name)/\(metric.name)_median"] = d.median
                    headline["\(outcome.task.name)/\(metric.name)_min"] = d.minimum
                    headline["\(outcome.task.name)/\(metric.name)_max"] = d.maximum
                }
            }
            tasks.append(["task": outcome.task.name, "file": outcome.task.file, "output_type": outcome.task.outputType.rawValue,
                          "prompts": outcome.prompts.map { p in
                              ["prompt": p.prompt, "shots": p.shots, "documents": p.documents, "dataset_digest": p.datasetDigest,
                               "metrics": p.metrics.mapValues { $0.isFinite ? $0 as Any : NSNull() }] as [String: Any]
                          }])
        }
        summary["tasks"] = tasks
    }

    /// Returns how many evaluations ended and requests were answered (progress goes on from there).
    func runCorpusEvaluations(trainFolder: String, corpusFolder: String, summary: inout [String: Any],
                              headline: inout [String: Double]) throws -> (tasks: Int, requests: Int) {
        let c = configuration
        let model = try BloomCheckpoint.load(from: URL(fileURLWithPath: modelFolder))
        let tokenizer = try TrainingData.loadTokenizer(modelFolder + "/tokenizer.json")
        let (eosID, padID) = try TrainingData.specialTokens(tokenizer, file: modelFolder + "/tokenizer.json")
        let training = try Self.trainingConfiguration(trainFolder)
        let eos = Int32(eosID), length = training.sequence_length
        var progress = EvalProgress(tasksDone: 0, tasksTotal: 0, requests: 0, task: "")
        let report = onProgress
        var scorer = TokenScorer(model: model, padding: Int32(padID), batchSize: 8)
        scorer.onBatchScored = { progress.requests += $0; report(progress) }
        summary["model_parameters"] = model.parameterCount
        summary["position"] = training.model.position
        summary["embedding_layernorm"] = training.model.embedding_layernorm
        let mcFiles = c.multiple_choice.map { task in
            (task, Self.taskFiles(corpusFolder + "/eval/mc", prefix: task + ".").filter { file in
                c.languages?.contains(String(file.dropFirst(task.count + 1).dropLast(".jsonl".count))) ?? true
            })
        }
        var split: CorpusSplit?
        if c.perplexity || c.fertility {
            split = try CorpusSplit.load(corpusFolder: corpusFolder, validationPercent: training.validation_percent, groups: c.languages ?? training.groups)
        }
        progress.tasksTotal = (split?.groups.count ?? 0) + mcFiles.reduce(0) { $0 + $1.1.count } * c.shots.count + c.translation.count
        func starting(_ task: String) { progress.task = task }
        func ended() { progress.tasksDone += 1; report(progress) }

        if let split {
            let evaluator = PerplexityEvaluator(scorer: scorer, tokenizer: tokenizer, eos: eos, length: length)
            var groups: [String: Any] = [:]
            for group in split.groups {
                starting("perplexity \(group.name)")
                defer { ended() }
                guard let result = try evaluator.evaluate(group.validation, maxTokens: c.perplexity_tokens) else { continue }
                let m = result.metrics
                groups[group.name] = ["token_perplexity": m.tokenPerplexity, "word_perplexity": m.wordPerplexity,
                                      "byte_perplexity": m.bytePerplexity, "bits_per_byte": m.bitsPerByte, "tokens": m.tokenCount,
                                      "bytes": m.byteCount, "words": m.wordCount, "documents": result.documents, "fertility": result.fertility,
                                      "dataset_digest": Digest.of(string: result.scoredDocuments.joined(separator: "\u{1E}")).hex]
                headline["bits_per_byte_" + group.name] = m.bitsPerByte
                headline["perplexity_" + group.name] = m.tokenPerplexity
                if c.fertility { headline["fertility_" + group.name] = result.fertility }
                log(String(format: "eval: %@ perplexity %.2f, %.3f bits/byte, fertility %.2f (%d tokens, %d documents)",
                           group.name, m.tokenPerplexity, m.bitsPerByte, result.fertility, m.tokenCount, result.documents))
            }
            try write(["task": "perplexity", "prompt_format": PromptFormats.perplexity,
                       "dataset": "held-out documents (\(training.validation_percent)% by id hash) of the corpus", "groups": groups],
                      to: "results/perplexity.json")
            summary["perplexity"] = groups
        }

        let mcEvaluator = MultipleChoiceEvaluator(scorer: scorer, tokenizer: tokenizer, eos: eos, length: length)
        var mcResults: [[String: Any]] = []
        for (task, files) in mcFiles {
            for file in files {
                let language = String(file.dropFirst(task.count + 1).dropLast(".jsonl".count))
                let (digest, all) = try TaskFiles.choiceItems(corpusFolder + "/eval/mc/" + file)
                let items = Array(all.prefix(c.mc_limit))
                guard items.count >= 2 else { for _ in c.shots { ended() }; continue }
                for shots in c.shots {
                    starting("\(task) \(language) \(shots)-shot")
                    defer { ended() }
                    let (s, goldLogLikelihood) = try mcEvaluator.evaluate(items, shots: shots)
                    let record: [String: Any] = ["task": task, "language": language, "shots": shots, "count": s.count,
                                                 "acc": s.acc, "acc_stderr": s.accStderr, "acc_norm": s.accNorm, "acc_norm_stderr": s.accNormStderr,
                                                 "chance": Self.chance(items), "gold_loglikelihood_mean": goldLogLikelihood, "prompt_format": PromptFormats.multipleChoice,
                                                 "prompt_note": PromptFormats.multipleChoiceNote, "dataset": "eval/mc/" + file, "dataset_digest": digest]
                    try write(record, to: "results/mc.\(task).\(language).\(shots)shot.json")
                    mcResults.append(record)
                    headline["acc_\(task)_\(language)_\(shots)shot"] = s.acc
                    log(String(format: "eval: %@ %@ %d-shot acc %.3f ± %.3f, acc_norm %.3f (n=%d, chance %.3f), gold log-likelihood %.3f",
                               task, language, shots, s.acc, s.accStderr, s.accNorm, s.count, Self.chance(items), goldLogLikelihood))
                }
            }
        }
        summary["multiple_choice"] = mcResults

        var translator = TranslationEvaluator(model: model, tokenizer: tokenizer, eos: eos, length: length, maxNewTokens: c.max_new_tokens)
        translator.onTranslated = { progress.requests += 1; report(progress) }
        var translations: [[String: Any]] = []
        for name in c.translation {
            starting("translation \(name)")
            defer { ended() }
            let direction = TranslationDirection(name)!
            let path = corpusFolder + "/eval/parallel/" + direction.fileName
            guard FileManager.default.fileExists(atPath: path) else {
                log("eval: no parallel set for \(direction) (\(direction.fileName)); skipped")
                continue
            }
            let (digest, all) = try TaskFiles.parallelPairs(path)
            let pairs = Array(all.prefix(c.translation_limit))
            guard pairs.count >= 2 else { continue }
            let result = try translator.evaluate(pairs, direction: direction)
            let record: [String: Any] = ["task": "translation", "direction": direction.description, "shots": 1, "count": pairs.count,
                                         "bleu": result.bleu.score, "signature": result.bleu.signature, "bp": result.bleu.bp,
                                         "precisions": result.bleu.precisions, "sys_len": result.bleu.sysLen, "ref_len": result.bleu.refLen,
                                         "chrf": result.chrf.score, "chrf_signature": CHRF().signature(references: 1),
                                         "chrf++": result.chrfPlusPlus.score, "chrf++_signature": CHRF(wordOrder: 2).signature(references: 1),
                                         "prompt_format": PromptFormats.translation, "prompt_note": PromptFormats.translationNote,
                                         "dataset": "eval/parallel/" + direction.fileName, "dataset_digest": digest, "samples": result.samples]
            try write(record, to: "results/translation.\(direction).json")
            translations.append(record)
            headline["bleu_" + direction.description] = result.bleu.score
            headline["chrf_" + direction.description] = result.chrf.score
            headline["chrf++_" + direction.description] = result.chrfPlusPlus.score
            log(String(format: "eval: translation %@ BLEU %.2f, chrF %.2f, chrF++ %.2f (n=%d, %@)", direction.description, result.bleu.score,
                       result.chrf.score, result.chrfPlusPlus.score, pairs.count, result.bleu.signature))
        }
        summary["translation"] = translations
        return (progress.tasksDone, progress.requests)
    }

    /// Files of `folder` named `prefix…​.jsonl`, sorted.
    static func taskFiles(_ folder: String, prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") }.sorted()
    }

    /// Expected accuracy of uniform guessing.
    static func chance(_ items: [ChoiceItem]) -> Double {
        items.reduce(0.0) { $0 + 1 / Double($1.choices.count) } / Double(items.count)
    }

    static func trainingConfiguration(_ trainFolder: String) throws -> TrainingConfiguration {
        guard let data = FileContents.read(trainFolder + "/training.json").map({ Data($0) }) else {
            throw EvalError.missingInput(what: "training.json of a train stage", searched: [trainFolder])
        }
        return try TrainingConfiguration.decode(json: data)
    }

    func write(_ object: Any, to relative: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: output + "/" + relative), options: .atomic)
    }
}
