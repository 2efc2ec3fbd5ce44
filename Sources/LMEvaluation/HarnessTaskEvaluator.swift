import CanonicalJSON
import Evaluation
import Foundation
import PromptTemplates

/// Runs one prompt of a task over its documents: builds the harness's requests, answers them with
/// the model, scores each document and aggregates (`HarnessMetrics`).
public struct HarnessTaskEvaluator {
    public struct Options: Sendable {
        /// Overrides the task's `num_fewshot` (the harness's `--num_fewshot`).
        public var numFewshot: Int?
        /// First N documents only (`--limit`).
        public var limit: Int?
        public var logSamples = false
        /// `--fewshot_random_seed` (the harness's default).
        public var fewshotSeed = 1234
        public init(numFewshot: Int? = nil, limit: Int? = nil, logSamples: Bool = false) {
            self.numFewshot = numFewshot; self.limit = limit; self.logSamples = logSamples
        }
    }

    /// One prompt's outcome: aggregated metrics (`nil` stderr = the harness's "N/A"), per-document samples.
    public struct PromptResult {
        public var task: String
        public var prompt: String
        public var shots: Int
        public var metrics: [String: Double]
        public var stderr: [String: Double?]
        public var documents: Int
        public var samples: [JSONValue]
        public var datasetDigest: String
    }

    let lm: HarnessLanguageModel
    let options: Options

    public init(model: HarnessLanguageModel, options: Options) { lm = model; self.options = options }

    public func evaluate(_ task: HarnessTask, prompt: HarnessTask.Prompt, data: [String: HarnessDataset]) throws -> PromptResult {
        let split = task.evaluationSplit
        guard let scored = data[split] else { throw TaskFileError(task.location, task: task.name, "split '\(split)' was not loaded") }
        let poolName = task.fewshotSplit ?? task.trainingSplit ?? task.validationSplit ?? split
        let pool = data[poolName]?.documents ?? []
        let prompting = HarnessPrompting(task: task, prompt: prompt, features: scored.features)
        let shots = options.numFewshot ?? task.numFewshot ?? 0
        var fewShot = try HarnessFewShot(prompting: prompting, pool: pool, poolName: poolName, shots: shots, seed: options.fewshotSeed)
        let documents = Array(scored.documents.prefix(options.limit ?? Int.max))
        guard !documents.isEmpty else { throw TaskFileError(task.location, task: task.name, prompt: prompt.name, "split '\(split)' has no documents") }

        var perDocument: [HarnessMetrics.DocumentScores] = []
        var samples: [JSONValue] = []
        switch task.outputType {
        case .multipleChoice, .loglikelihood:
            var requests: [(context: String, continuation: String)] = []
            var spans: [Range<Int>] = [], choiceLists: [[String]] = [], golds: [[Int]] = [], targets: [String] = []
            for (i, doc) in documents.enumerated() {
                let context = try fewShot.context(for: doc, index: i)
                let start = requests.count
                if task.outputType == .multipleChoice {
                    if case .int = try prompting.text(doc, index: i) {
                        throw prompting.error("doc_to_text", i, "gives a choice index: the harness's multiple-input form (one context per choice, as in winogrande) is not supported")
                    }
                    let choices = try prompting.choices(doc, index: i)
                    golds.append(try prompting.goldIndices(doc, index: i, choices: choices))
                    choiceLists.append(choices)
                    for choice in choices { requests.append((context, prompt.targetDelimiter + choice)) }
                } else {
                    let target = try prompting.targetText(doc, index: i)
                    targets.append(target)
                    requests.append((context, target))   // the harness adds no target_delimiter here
                }
                spans.append(start..<requests.count)
            }
            let answers = lm.loglikelihood(requests)
            for (i, span) in spans.enumerated() {
                let lls = answers[span].map(\.logLikelihood), greedy = answers[span].map(\.greedy)
                let scores = task.outputType == .multipleChoice
                    ? HarnessMetrics.multipleChoice(lls: lls, greedy: greedy, choices: choiceLists[i], gold: golds[i])
                    : HarnessMetrics.loglikelihood(ll: lls[0], greedy: greedy[0])
                perDocument.append(scores)
                if options.logSamples {
                    samples.append(sample(i, documents[i], target: task.outputType == .multipleChoice ? .array(golds[i].map { .int($0) }) : .string(targets[i]),
                                          arguments: requests[span].map { .array([.string($0.context), .string($0.continuation)]) },
                                          responses: zip(lls, greedy).map { .array([.double($0), .bool($1)]) }, scores: scores))
                }
            }
        case .loglikelihoodRolling:
            let texts = try documents.enumerated().map { try prompting.targetText($1, index: $0) }
            let lls = lm.rollingLoglikelihood(texts)
            for (i, text) in texts.enumerated() {
                let scores = HarnessMetrics.rolling(ll: lls[i], text: text)
                perDocument.append(scores)
                if options.logSamples {
                    samples.append(sample(i, documents[i], target: .string(text), arguments: [.array([.string(text)])], responses: [.double(lls[i])], scores: scores))
                }
            }
        case .generateUntil:
            let until = task.until ?? [prompt.fewshotDelimiter]
            var predictions: [String] = [], references: [String] = []
            for (i, doc) in documents.enumerated() {
                let context = try fewShot.context(for: doc, index: i)
                let generated = lm.generate(context: context, until: until, maxTokens: task.maxGenerationTokens)
                lm.onScored(1)
                predictions.append(generated)
                references.append(try prompting.targetText(doc, index: i))
                if options.logSamples {
                    samples.append(sample(i, doc, target: .string(references[i]), arguments: [.array([.string(context), .object(["until": .array(until.map { .string($0) })])])],
                                          responses: [.string(generated)], scores: [:]))
                }
            }
            perDocument = try HarnessMetrics.generation(task.metrics, predictions: predictions, references: references, documents: documents)
            if options.logSamples { for i in samples.indices { samples[i] = samples[i].merging(perDocument[i]) } }
        }
        let (metrics, stderr) = try HarnessMetrics.aggregate(task.metrics, perDocument, outputType: task.outputType)
        return PromptResult(task: task.name, prompt: prompt.name, shots: shots, metrics: metrics, stderr: stderr, documents: documents.count,
                            samples: samples, datasetDigest: scored.digest)
    }

    func sample(_ index: Int, _ doc: HarnessDataset.Document, target: JSONValue, arguments: [JSONValue], responses: [JSONValue],
                scores: HarnessMetrics.DocumentScores) -> JSONValue {
        var object: [String: JSONValue] = ["doc_id": .int(index), "doc": .object(doc.mapValues(\.json)), "target": target,
                                           "arguments": .array(arguments), "resps": .array(responses.map { .array([$0]) }),
                                           "filtered_resps": .array(responses)]
        for (k, v) in scores { object[k] = v.json }
        return .object(object)
    }
}

extension JSONValue {
    func merging(_ scores: HarnessMetrics.DocumentScores) -> JSONValue {
        guard case .object(var o) = self else { return self }
        for (k, v) in scores { o[k] = v.json }
        return .object(o)
    }
}

extension TemplateValue {
    /// The value as JSON (for logged documents).
    public var json: JSONValue {
        switch self {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return d.isFinite ? .double(d) : .null
        case .string(let s): return .string(s)
        case .list(let l): return .array(l.map(\.json))
        case .dict(let d): return .object(d.mapValues(\.json))
        }
    }
}
