import CanonicalJSON
import Foundation
import PipelineSpec
import PromptTemplates

/// One task of an lm-evaluation-harness YAML file (the subset `docs/evaluation.md` lists), with
/// where each field was written so that errors name file, line and column.
public struct HarnessTask: Sendable {
    public enum OutputType: String, Sendable, CaseIterable {
        case multipleChoice = "multiple_choice", loglikelihood, loglikelihoodRolling = "loglikelihood_rolling", generateUntil = "generate_until"

        /// lm_eval's `DEFAULT_METRIC_REGISTRY`.
        var defaultMetrics: [String] {
            switch self {
            case .multipleChoice: return ["acc", "acc_norm"]
            case .loglikelihood: return ["perplexity", "acc"]
            case .loglikelihoodRolling: return ["word_perplexity", "byte_perplexity", "bits_per_byte"]
            case .generateUntil: return ["exact_match"]
            }
        }

        /// Metrics Trellis computes for this request type (harness names; `acc_bytes`, ROUGE, chrF++ and pass@k added).
        var supportedMetrics: Set<String> {
            switch self {
            case .multipleChoice: return ["acc", "acc_norm", "acc_bytes", "exact_match"]
            case .loglikelihood: return ["perplexity", "acc"]
            case .loglikelihoodRolling: return ["word_perplexity", "byte_perplexity", "bits_per_byte"]
            case .generateUntil: return ["exact_match", "bleu", "chrf", "chrf++", "rouge1", "rouge2", "rougeL", "rougeLsum", "pass@1"]
            }
        }
    }

    /// A template field: a column name of the data, a template, a literal list or an integer.
    public enum Field: Sendable {
        case template(PromptTemplate)
        case list([String])
        case integer(Int)
    }

    /// One way of asking (`doc_to_text` / `doc_to_target` / `doc_to_choice` and delimiters). A file
    /// without `prompts:` has one, named after the task; with `prompts:`, each entry overrides the
    /// task's own fields.
    public struct Prompt: Sendable {
        public var name: String
        public var docToText: Field?
        public var docToTarget: Field?
        public var docToChoice: Field?
        public var description: PromptTemplate?
        public var targetDelimiter: String
        public var fewshotDelimiter: String
        /// Where the prompt was written (for errors while rendering it).
        public var location: SourceLocation
        /// Where each template field was written.
        public var fieldLocations: [String: SourceLocation]
    }

    public struct Metric: Sendable, Equatable {
        public var name: String
        /// `exact_match` options (`ignore_case`, `ignore_punctuation`, `ignore_numbers`, `regexes_to_ignore`) and `use_stemmer` for ROUGE.
        public var options: [String: JSONOption]
        public var higherIsBetter: Bool
    }

    public enum JSONOption: Sendable, Equatable {
        case bool(Bool)
        case strings([String])
    }

    public var name: String
    public var alias: String?
    public var file: String
    public var location: SourceLocation
    /// `json` or `csv`.
    public var datasetFormat: String
    /// Data files per split name, resolved against the task file's folder.
    public var dataFiles: [String: [String]]
    public var testSplit: String?
    public var validationSplit: String?
    public var trainingSplit: String?
    public var fewshotSplit: String?
    public var outputType: OutputType
    public var prompts: [Prompt]
    public var numFewshot: Int?
    /// `fewshot_config.sampler`: `default` (seeded `random.sample`, as the harness) or `first_n`.
    public var fewshotSampler: String
    public var until: [String]?
    public var maxGenerationTokens: Int
    public var metrics: [Metric]
    public var version: String?
    /// The configuration as read (after `include`), for the results' `configs` section.
    public var configuration: JSONValue

    /// The split the task is scored on: `test_split`, else `validation_split` (as the harness).
    public var evaluationSplit: String { testSplit ?? validationSplit ?? "test" }
}

/// What is wrong with a task file, where, and for which prompt.
public struct TaskFileError: Error, CustomStringConvertible, Equatable {
    public var location: SourceLocation
    public var task: String?
    public var prompt: String?
    public var message: String
    public var hint: String?

    public init(_ location: SourceLocation, task: String? = nil, prompt: String? = nil, _ message: String, hint: String? = nil) {
        self.location = location; self.task = task; self.prompt = prompt; self.message = message; self.hint = hint
    }

    /// The message with the task and prompt it concerns, without the location.
    public var problem: String {
        var subject = ""
        if let task { subject += "task '\(task)'" }
        if let prompt { subject += (subject.isEmpty ? "" : ", ") + "prompt '\(prompt)'" }
        return (subject.isEmpty ? "" : subject + ": ") + message
    }

    public var description: String { "\(location): \(problem)" }
}
