import CanonicalJSON
import Evaluation
import Foundation

/// lm-evaluation-harness's results layout (`results`, `group_subtasks`, `configs`, `versions`,
/// `n-shot`, `higher_is_better`, `n-samples`, `config`), so tools that read the harness's JSON read
/// ours. A task with several prompts appears as one subtask per prompt (`task.prompt`) under a
/// group named after the task (the mean over prompts, as a harness group reports it), and
/// `prompt_distributions` adds the per-metric distribution over prompts (median, quartiles, range).
public enum HarnessResults {
    public struct TaskOutcome {
        public var task: HarnessTask
        public var prompts: [HarnessTaskEvaluator.PromptResult]
        public var totalDocuments: Int
    }

    public static func document(_ outcomes: [TaskOutcome], config: [String: JSONValue]) -> JSONValue {
        var results: [String: JSONValue] = [:], configs: [String: JSONValue] = [:], versions: [String: JSONValue] = [:]
        var shots: [String: JSONValue] = [:], higher: [String: JSONValue] = [:], samples: [String: JSONValue] = [:]
        var groups: [String: JSONValue] = [:], distributions: [String: JSONValue] = [:]
        for outcome in outcomes {
            let task = outcome.task
            let better = JSONValue.object(Dictionary(task.metrics.map { ($0.name, JSONValue.bool($0.higherIsBetter)) }, uniquingKeysWith: { a, _ in a }))
            let single = outcome.prompts.count == 1
            var names: [String] = []
            for prompt in outcome.prompts {
                let name = single ? task.name : task.name + "." + prompt.prompt
                names.append(name)
                var entry: [String: JSONValue] = ["alias": .string(single ? (task.alias ?? task.name) : " - " + prompt.prompt), "sample_len": .int(prompt.documents)]
                for metric in task.metrics {
                    guard let value = prompt.metrics[metric.name] else { continue }
                    entry[metric.name + ",none"] = value.isFinite ? .double(value) : .null
                    let stderr = prompt.stderr[metric.name] ?? nil
                    entry[metric.name + "_stderr,none"] = stderr.map { $0.isFinite ? .double($0) : .null } ?? .string("N/A")
                }
                results[name] = .object(entry)
                var taskConfig = task.configuration
                if case .object(var o) = taskConfig {
                    o["task"] = .string(name); o["num_fewshot"] = .int(prompt.shots); o.removeValue(forKey: "prompts")
                    if !single { o["trellis_prompt"] = .string(prompt.prompt) }
                    o["trellis_dataset_digest"] = .string(prompt.datasetDigest)
                    taskConfig = .object(o)
                }
                configs[name] = taskConfig
                versions[name] = task.version.map { .string($0) } ?? .null
                shots[name] = .int(prompt.shots)
                higher[name] = better
                samples[name] = .object(["original": .int(outcome.totalDocuments), "effective": .int(prompt.documents)])
            }
            if !single {
                groups[task.name] = .array(names.map { .string($0) })
                var group: [String: JSONValue] = ["alias": .string(task.alias ?? task.name)]
                var perMetric: [String: JSONValue] = [:]
                for metric in task.metrics {
                    let scores = outcome.prompts.compactMap { $0.metrics[metric.name] }.filter(\.isFinite)
                    guard let d = PromptDistribution(scores) else { continue }
                    group[metric.name + ",none"] = .double(scores.reduce(0, +) / Double(scores.count))
                    group[metric.name + "_stderr,none"] = .string("N/A")
                    perMetric[metric.name] = .object(["prompts": .int(d.count), "min": .double(d.minimum), "q1": .double(d.lowerQuartile),
                                                      "median": .double(d.median), "q3": .double(d.upperQuartile), "max": .double(d.maximum),
                                                      "iqr": .double(d.interQuartileRange),
                                                      "scores": .object(Dictionary(outcome.prompts.compactMap { p in p.metrics[metric.name].map { (p.prompt, JSONValue.double($0)) } }, uniquingKeysWith: { a, _ in a }))])
                }
                results[task.name] = .object(group)
                higher[task.name] = better
                versions[task.name] = task.version.map { .string($0) } ?? .null
                distributions[task.name] = .object(perMetric)
            }
        }
        return .object(["results": .object(results), "group_subtasks": .object(groups), "configs": .object(configs), "versions": .object(versions),
                        "n-shot": .object(shots), "higher_is_better": .object(higher), "n-samples": .object(samples), "config": .object(config),
                        "prompt_distributions": .object(distributions)])
    }
}
