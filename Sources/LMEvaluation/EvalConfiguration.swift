import CanonicalJSON
import Foundation
import Training

/// What an `eval` stage measures (its `with:` block). Every section is optional; a missing
/// section keeps its default, `false`/empty turns it off.
public struct EvalConfiguration: Codable, Equatable, Sendable {
    /// Perplexity and bits per byte on the held-out documents (same split as the train stage).
    public var perplexity = true
    /// Cap on scored tokens per corpus group.
    public var perplexity_tokens = 20_000
    /// Tokenizer fertility (tokens per word) on the held-out documents.
    public var fertility = true
    /// Multiple-choice files under the corpus' `eval/mc/` (task name = file name without `.LANG.jsonl`).
    public var multiple_choice: [String] = ["ddtp-synopsis"]
    /// 0 and/or 1 demonstrations before each question.
    public var shots: [Int] = [0, 1]
    /// Items per (task, language); the first N of the file.
    public var mc_limit = 200
    /// Translation directions such as `en-fr` (English → French) or `fr-en`, from `eval/parallel/`.
    public var translation: [String] = ["en-fr", "en-es", "en-pt", "en-de", "en-ca"]
    public var translation_limit = 40
    public var max_new_tokens = 48
    /// Languages to evaluate (corpus groups); default every group with held-out data.
    public var languages: [String]?
    /// lm-evaluation-harness task files (paths relative to the manifest; list them in `deps` too, so
    /// their content enters the key). Results in the harness's layout under `harness/`.
    public var tasks: [String] = []
    /// Where the tasks' relative `data_files` are found: an upstream stage's output (e.g. `corpus`,
    /// whose `eval/` folder holds the held-out sets) or, by default, the manifest's folder (the
    /// harness resolves them against its working directory).
    public var task_data: String?
    /// Overrides every task's `num_fewshot`.
    public var num_fewshot: Int?
    /// First N documents of each task.
    public var limit: Int?
    /// Write `harness/samples_<task>.jsonl` (every request, response and per-document score).
    public var log_samples = true
    /// The checkpoint to evaluate: an upstream stage (its `model/` folder, or the folder itself when it
    /// holds `config.json`) or a folder relative to the manifest. Default: the upstream train stage.
    public var model: String?

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EvalConfiguration()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? fallback }
        perplexity = try value(.perplexity, d.perplexity)
        perplexity_tokens = try value(.perplexity_tokens, d.perplexity_tokens)
        fertility = try value(.fertility, d.fertility)
        multiple_choice = try value(.multiple_choice, d.multiple_choice)
        shots = try value(.shots, d.shots)
        mc_limit = try value(.mc_limit, d.mc_limit)
        translation = try value(.translation, d.translation)
        translation_limit = try value(.translation_limit, d.translation_limit)
        max_new_tokens = try value(.max_new_tokens, d.max_new_tokens)
        languages = try c.decodeIfPresent([String].self, forKey: .languages)
        tasks = try value(.tasks, d.tasks)
        task_data = try c.decodeIfPresent(String.self, forKey: .task_data)
        num_fewshot = try c.decodeIfPresent(Int.self, forKey: .num_fewshot)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        log_samples = try value(.log_samples, d.log_samples)
        model = try c.decodeIfPresent(String.self, forKey: .model)
    }

    static let knownKeys: Set<String> = ["perplexity", "perplexity_tokens", "fertility", "multiple_choice", "shots", "mc_limit",
                                         "translation", "translation_limit", "max_new_tokens", "languages",
                                         "tasks", "task_data", "num_fewshot", "limit", "log_samples", "model"]

    public static func decode(json: Data) throws -> EvalConfiguration {
        let config: EvalConfiguration
        do { config = try JSONValue.parse(json).decode(EvalConfiguration.self, knownKeys: knownKeys) } catch let p as JSONValue.DecodeProblem {
            throw EvalError.invalidConfiguration(field: p.field, problem: p.problem)
        }
        try config.validate()
        return config
    }

    public func validate() throws {
        func bad(_ field: String, _ problem: String) -> EvalError { .invalidConfiguration(field: field, problem: problem) }
        if perplexity_tokens <= 0 { throw bad("perplexity_tokens", "must be positive") }
        if shots.isEmpty || shots.contains(where: { $0 < 0 || $0 > 1 }) { throw bad("shots", "must list 0 and/or 1") }
        if mc_limit <= 0 { throw bad("mc_limit", "must be positive") }
        for pair in translation where TranslationDirection(pair) == nil {
            throw bad("translation", "'\(pair)' is not a direction like en-fr")
        }
        if translation_limit <= 0 { throw bad("translation_limit", "must be positive") }
        if max_new_tokens <= 0 { throw bad("max_new_tokens", "must be positive") }
        if let k = num_fewshot, !(0...1_000).contains(k) { throw bad("num_fewshot", "must be between 0 and 1000") }
        if let n = limit, n <= 0 { throw bad("limit", "must be positive") }
        if tasks.contains(where: \.isEmpty) || Set(tasks).count != tasks.count { throw bad("tasks", "must list distinct task files") }
    }
}

/// `en-fr`: translate from English into French (read from `eval/parallel/en-fr.jsonl` either way round).
public struct TranslationDirection: Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var target: String

    public init?(_ text: String) {
        let parts = text.split(separator: "-").map(String.init)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isLetter) }), parts[0] != parts[1] else { return nil }
        source = parts[0]; target = parts[1]
    }

    public var description: String { "\(source)-\(target)" }
    /// The corpus file holding the pair (the corpus writes English first).
    public var fileName: String { source == "en" ? "en-\(target).jsonl" : "en-\(source).jsonl" }
}
