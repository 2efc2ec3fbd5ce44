import CanonicalJSON
import Foundation
import LMEvaluation
import Testing

/// The task files of `Fixtures/harness/tasks` mean the same in Trellis as in lm-evaluation-harness:
/// `expected.json` is what `lm_eval` 0.4.9 computed on the same checkpoint folder
/// (scripts/oracles/make_harness_fixtures.py). Every request's context and continuation must be the
/// same text, every log-likelihood within 1e-4, every greedy flag and generation the same, and each
/// task's metrics the same (perplexities compared in log space).
@Suite(.serialized) struct HarnessParityTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/harness").path
    static let tasks = ["mc", "pairs", "ll", "rolling", "gen", "glue", "space"]

    struct Expected {
        var metrics: [String: JSONValue]
        var samples: [JSONValue]
    }

    static func expected() throws -> [String: Expected] {
        let json = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/expected.json")))
        guard case .object(let tasks)? = json["tasks"] else { throw CocoaError(.fileReadCorruptFile) }
        return tasks.mapValues { v in
            guard case .object(let m)? = v["metrics"], case .array(let s)? = v["samples"] else { return Expected(metrics: [:], samples: []) }
            return Expected(metrics: m, samples: s)
        }
    }

    static func run(_ mode: HarnessLanguageModel.ScoringMode = .sharedPrefix) throws -> (outcomes: [HarnessResults.TaskOutcome], output: String) {
        let output = NSTemporaryDirectory() + "harness-parity-\(UUID().uuidString)"
        var evaluation = HarnessEvaluation(modelFolder: fixtures + "/model", taskFiles: tasks.map { fixtures + "/tasks/\($0).yaml" }, dataRoot: fixtures + "/tasks",
                                           options: .init(logSamples: true))
        evaluation.scoringMode = mode
        return (try evaluation.run(output: output), output)
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        case .string(let s)?: return Double(s)
        default: return nil
        }
    }

    static func samples(_ output: String, task: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: output + "/samples_\(task).jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
    }

    /// Every scoring path (one request per pass, length-sorted batches, a shared prefix through the KV cache).
    @Test(arguments: HarnessLanguageModel.ScoringMode.allCases)
    func requestsScoresAndMetricsMatchTheHarness(_ mode: HarnessLanguageModel.ScoringMode) throws {
        let expected = try Self.expected()
        let (outcomes, output) = try Self.run(mode)
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(outcomes.count == 7)
        var worstLoglikelihood = 0.0, worstRolling = 0.0
        for outcome in outcomes {
            let name = outcome.task.name
            let want = try #require(expected[name], "no expected results for \(name)")
            let ours = try Self.samples(output, task: name)
            #expect(ours.count == want.samples.count, "\(name): document count")
            for (mine, theirs) in zip(ours, want.samples) {
                guard case .array(let theirArguments)? = theirs["arguments"], case .array(let myArguments)? = mine["arguments"],
                      case .array(let theirResponses)? = theirs["filtered_resps"], case .array(let myResponses)? = mine["filtered_resps"] else {
                    Issue.record("\(name): malformed sample"); continue
                }
                #expect(myArguments.count == theirArguments.count, "\(name) doc \(theirs["doc_id"]?.displayText ?? "?"): request count")
                for (a, b) in zip(myArguments, theirArguments) {
                    // contexts and continuations (generation options aside) are the same text
                    guard case .array(let x) = a, case .array(let y) = b else { continue }
                    for (p, q) in zip(x, y) where p.stringValue != nil || q.stringValue != nil {
                        #expect(p.stringValue == q.stringValue, "\(name) doc \(theirs["doc_id"]?.displayText ?? "?"): request text differs")
                    }
                }
                #expect(myResponses.count == theirResponses.count)
                for (a, b) in zip(myResponses, theirResponses) {
                    switch outcome.task.outputType {
                    case .generateUntil:
                        #expect(a.stringValue == b.stringValue, "\(name): generation \(a.displayText) vs the harness's \(b.displayText)")
                    case .loglikelihoodRolling:
                        // A sum over hundreds of tokens that torch accumulates in float32: 1e-4 or 1e-7 relative, the larger.
                        let theirs = Self.number(b) ?? .nan, d = abs((Self.number(a) ?? .nan) - theirs)
                        worstRolling = max(worstRolling, d / abs(theirs))
                        #expect(d <= max(1e-4, 1e-7 * abs(theirs)), "\(name): rolling log-likelihood \(a.displayText) vs \(b.displayText)")
                    default:
                        guard case .array(let x) = a, case .array(let y) = b, x.count == 2, y.count == 2 else { Issue.record("\(name): response shape"); continue }
                        let d = abs((Self.number(x[0]) ?? .nan) - (Self.number(y[0]) ?? .nan))
                        worstLoglikelihood = max(worstLoglikelihood, d)
                        #expect(d <= 1e-4, "\(name): log-likelihood \(x[0].displayText) vs \(y[0].displayText)")
                        #expect((x[1] == .bool(true)) == (y[1].stringValue == "True"), "\(name): is_greedy differs")
                    }
                }
            }
            let prompt = try #require(outcome.prompts.first)
            for (key, value) in want.metrics where !key.contains("_stderr") {
                let metric = String(key.split(separator: ",")[0])
                let mine = try #require(prompt.metrics[metric], "\(name): no \(metric)")
                let theirs = try #require(Self.number(value))
                let close = metric.contains("perplexity") ? abs(log(mine) - log(theirs)) <= 1e-5 : abs(mine - theirs) <= 1e-4
                #expect(close, "\(name): \(metric) \(mine) vs the harness's \(theirs)")
            }
            for (key, value) in want.metrics where key.contains("_stderr") && ["acc", "acc_norm", "exact_match"].contains(String(key.split(separator: "_stderr")[0])) {
                let metric = String(key.split(separator: "_stderr")[0])
                let mine = prompt.stderr[metric] ?? nil
                #expect(abs((mine ?? .nan) - (Self.number(value) ?? .nan)) <= 1e-9, "\(name): \(metric) stderr")
            }
        }
        print("harness parity (\(mode.rawValue)): largest log-likelihood difference \(worstLoglikelihood), largest relative difference of a rolling sum \(worstRolling)")
    }

    @Test func resultsUseTheHarnessLayout() throws {
        let (_, output) = try Self.run()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let results = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: output + "/results.json")))
        for key in ["results", "configs", "versions", "n-shot", "higher_is_better", "n-samples", "config", "group_subtasks"] {
            #expect(results[key] != nil, "results.json lacks \(key)")
        }
        #expect(results["n-shot"]?["fixture_mc"] == .int(2))
        #expect(results["versions"]?["fixture_mc"] == .string("1.0"))
        #expect(Self.number(results["results"]?["fixture_mc"]?["acc,none"]) != nil)
        #expect(results["results"]?["fixture_rolling"]?["bits_per_byte_stderr,none"] == .string("N/A"))
        #expect(results["n-samples"]?["fixture_pairs"]?["effective"] == .int(9))
    }
}
