import CanonicalJSON
import Evaluation
import Foundation
import PromptTemplates

/// Per-document scores and their aggregation, as lm-evaluation-harness computes them
/// (`ConfigurableTask.process_results`, `lm_eval.api.metrics`): means with the sample standard
/// error, perplexities from summed log-likelihoods, corpus-level BLEU and chrF.
public enum HarnessMetrics {
    public enum Item: Sendable {
        case value(Double)
        /// A log-likelihood and what it is per (words or bytes), summed before dividing.
        case weighted(Double, Double)
        /// (prediction, reference) for corpus-level metrics.
        case pair(String, String)

        var json: JSONValue {
            switch self {
            case .value(let v): return v.isFinite ? .double(v) : .null
            case .weighted(let a, let b): return .array([.double(a), .double(b)])
            case .pair(let p, let r): return .array([.string(r), .string(p)])
            }
        }
    }
    public typealias DocumentScores = [String: Item]

    /// numpy's argmax: the first index of the largest value.
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for i in values.indices.dropFirst() where values[i] > values[best] || (values[best].isNaN && !values[i].isNaN) { best = i }
        return best
    }

    static func multipleChoice(lls: [Double], greedy: [Bool], choices: [String], gold: [Int]) -> DocumentScores {
        let pred = argmax(lls)
        let norm = argmax(zip(lls, choices).map { $0 / Double($1.unicodeScalars.count) })
        let bytes = argmax(zip(lls, choices).map { $0 / Double($1.utf8.count) })
        return ["acc": .value(gold.contains(pred) ? 1 : 0), "acc_norm": .value(gold.contains(norm) ? 1 : 0),
                "acc_bytes": .value(gold.contains(bytes) ? 1 : 0), "exact_match": .value(gold.contains { greedy[$0] } ? 1 : 0)]
    }

    static func loglikelihood(ll: Double, greedy: Bool) -> DocumentScores {
        ["perplexity": .value(ll), "acc": .value(greedy ? 1 : 0)]
    }

    static func rolling(ll: Double, text: String) -> DocumentScores {
        let bytes = Double(text.utf8.count)
        return ["word_perplexity": .weighted(ll, Double(wordCount(text))), "byte_perplexity": .weighted(ll, bytes), "bits_per_byte": .weighted(ll, bytes)]
    }

    /// `len(re.split(r"\s+", text))`: one more than the number of whitespace runs.
    static func wordCount(_ text: String) -> Int {
        var runs = 0, inRun = false
        for c in text.unicodeScalars {
            let space = PythonText.isSpace(c)
            if space && !inRun { runs += 1 }
            inRun = space
        }
        return runs + 1
    }

    static func generation(_ metrics: [HarnessTask.Metric], predictions: [String], references: [String],
                           documents: [HarnessDataset.Document]) throws -> [DocumentScores] {
        var scores = [DocumentScores](repeating: [:], count: predictions.count)
        for metric in metrics {
            switch metric.name {
            case "exact_match":
                func flag(_ key: String) -> Bool { metric.options[key] == .bool(true) }
                var regexes: [String] = []
                if case .strings(let r)? = metric.options["regexes_to_ignore"] { regexes = r }
                let em = ExactMatch(regexesToIgnore: regexes, ignoreCase: flag("ignore_case"), ignorePunctuation: flag("ignore_punctuation"), ignoreNumbers: flag("ignore_numbers"))
                for i in predictions.indices { scores[i]["exact_match"] = .value(try em.score(prediction: predictions[i], reference: references[i])) }
            case "bleu", "chrf", "chrf++":
                for i in predictions.indices { scores[i][metric.name] = .pair(predictions[i], references[i]) }
            case "rouge1", "rouge2", "rougeL", "rougeLsum":
                let rouge = ROUGE(useStemmer: metric.options["use_stemmer"] == .bool(true))
                for i in predictions.indices { scores[i][metric.name] = .value(rouge.score(target: references[i], prediction: predictions[i])[metric.name]?.fmeasure ?? 0) }
            case "pass@1":
                var problems: [HumanEvalProblem] = [], samples: [String: [String]] = [:]
                for (i, doc) in documents.enumerated() {
                    guard case .string(let prompt)? = doc["prompt"], case .string(let test)? = doc["test"], case .string(let entry)? = doc["entry_point"] else {
                        throw EvalError.invalidConfiguration(field: "metric_list", problem: "pass@1 needs documents with prompt, test and entry_point (HumanEval's fields); document \(i) lacks them")
                    }
                    let id = "doc-\(i)"
                    problems.append(HumanEvalProblem(task_id: id, prompt: prompt, canonical_solution: "", test: test, entry_point: entry))
                    samples[id] = [predictions[i]]
                }
                let report = try HumanEval.evaluate(problems: problems, samples: samples, ks: [1])
                let passed = Dictionary(report.samples.map { ($0.task_id, $0.passed) }, uniquingKeysWith: { a, _ in a })
                for i in predictions.indices { scores[i]["pass@1"] = .value(passed["doc-\(i)"] == true ? 1 : 0) }
            default:
                throw EvalError.invalidConfiguration(field: "metric_list", problem: "metric '\(metric.name)' does not apply to generate_until")
            }
        }
        return scores
    }

    /// Aggregated value and standard error per metric (stderr nil where the harness writes "N/A").
    static func aggregate(_ metrics: [HarnessTask.Metric], _ documents: [DocumentScores],
                          outputType: HarnessTask.OutputType) throws -> ([String: Double], [String: Double?]) {
        var values: [String: Double] = [:], errors: [String: Double?] = [:]
        for metric in metrics {
            let items = documents.compactMap { $0[metric.name] }
            guard items.count == documents.count, !items.isEmpty else { continue }
            let aggregate: ([Item]) throws -> Double
            var bootstrapped = false
            switch metric.name {
            case "perplexity":
                aggregate = { items in exp(-mean(items.map(value))) }; bootstrapped = true
            case "word_perplexity", "byte_perplexity":
                aggregate = { items in exp(-weightedMean(items)) }
            case "bits_per_byte":
                aggregate = { items in -weightedMean(items) / log(2) }
            case "bleu":
                aggregate = { items in try BLEU.corpusScore(hypotheses: items.map(prediction), referenceStreams: [items.map(reference)]).score }
                bootstrapped = true
            case "chrf", "chrf++":
                let chrf = CHRF(wordOrder: metric.name == "chrf++" ? 2 : 0)
                aggregate = { items in try chrf.corpusScore(hypotheses: items.map(prediction), references: [items.map(reference)]).score }
                bootstrapped = true
            default:
                aggregate = { items in mean(items.map(value)) }
            }
            values[metric.name] = try aggregate(items)
            if items.count < 2 {
                errors[metric.name] = .some(nil)
            } else if bootstrapped {
                errors[metric.name] = try bootstrapStderr(items, aggregate, resamples: metric.name == "perplexity" ? 1_000 : 100)
            } else if ["word_perplexity", "byte_perplexity", "bits_per_byte"].contains(metric.name) {
                errors[metric.name] = .some(nil)   // the harness has no stderr for weighted perplexities
            } else {
                let xs = items.map(value)
                errors[metric.name] = try SampleStatistics.meanStandardError(xs)
            }
        }
        return (values, errors)
    }

    static func value(_ item: Item) -> Double { if case .value(let v) = item { return v }; return .nan }
    static func prediction(_ item: Item) -> String { if case .pair(let p, _) = item { return p }; return "" }
    static func reference(_ item: Item) -> String { if case .pair(_, let r) = item { return r }; return "" }
    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
    static func weightedMean(_ items: [Item]) -> Double {
        var a = 0.0, b = 0.0
        for case .weighted(let x, let y) in items { a += x; b += y }
        return a / b
    }

    /// Standard deviation of the aggregate over resamples with replacement (1,000; 100 for BLEU and
    /// chrF, as the harness caps them). Seeded; the harness bootstraps with its own generator, so
    /// these agree with its figures only statistically.
    static func bootstrapStderr(_ items: [Item], _ aggregate: ([Item]) throws -> Double, resamples: Int) throws -> Double {
        var generator = PythonRandom(seed: 1234)
        var estimates: [Double] = []
        for _ in 0..<resamples {
            let resample = (0..<items.count).map { _ in items[generator.below(items.count)] }
            estimates.append(try aggregate(resample))
        }
        let m = mean(estimates)
        return (estimates.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(estimates.count - 1)).squareRoot()
    }
}
