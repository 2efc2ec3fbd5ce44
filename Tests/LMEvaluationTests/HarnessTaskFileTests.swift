import Foundation
import LMEvaluation
import PipelineSpec
import Testing

/// Bad task files fail with the file, line and column of the problem and the task / prompt it
/// concerns; several prompts give per-prompt results and their distribution.
@Suite struct HarnessTaskFileTests {
    static let model = HarnessParityTests.fixtures + "/model"

    /// A folder with `data.jsonl` (6 documents) and the given task file.
    static func taskFolder(_ yaml: String, data: String? = nil) throws -> String {
        let folder = NSTemporaryDirectory() + "task-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let docs = data ?? (0..<6).map { #"{"q": "question \#($0)", "choices": ["yes", "no", "maybe"], "label": \#($0 % 3)}"# }.joined(separator: "\n") + "\n"
        try docs.write(toFile: folder + "/data.jsonl", atomically: true, encoding: .utf8)
        try yaml.write(toFile: folder + "/task.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    static let base = """
        task: t
        dataset_path: json
        dataset_kwargs: {data_files: {test: data.jsonl}}
        test_split: test
        output_type: multiple_choice
        doc_to_text: "{{q}}?"
        doc_to_choice: "{{choices}}"
        doc_to_target: label

        """

    func failure(_ yaml: String, data: String? = nil, evaluate: Bool = false, shots: Int? = nil) throws -> TaskFileError? {
        let folder = try Self.taskFolder(yaml, data: data)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            if evaluate {
                try HarnessEvaluation(modelFolder: Self.model, taskFiles: [folder + "/task.yaml"], dataRoot: folder, options: .init(numFewshot: shots)).run(output: folder + "/out")
            } else {
                _ = try HarnessTaskReader.read(folder + "/task.yaml", dataRoot: folder)
            }
        } catch let e as TaskFileError {
            #expect(e.location.file.hasSuffix("task.yaml"), "the error names the task file: \(e)")
            return e
        }
        return nil
    }

    @Test func unsupportedFieldsAreErrorsAtTheirLine() throws {
        let e = try #require(try failure(Self.base + "process_docs: foo\n"))
        #expect(e.location.line == 9 && e.location.column == 1 && e.message.contains("process_docs"))
        let typo = try #require(try failure(Self.base + "num_fewshots: 2\n"))
        #expect(typo.hint?.contains("num_fewshot") == true)
    }

    @Test func customYAMLTagsAreRefused() throws {
        let folder = try Self.taskFolder(Self.base.replacingOccurrences(of: "doc_to_target: label", with: "doc_to_target: !function utils.target"))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ManifestError.self) { try HarnessTaskReader.read(folder + "/task.yaml", dataRoot: folder) }
    }

    @Test func templatesThatDoNotParseOrRenderNameThePrompt() throws {
        let parse = try #require(try failure(Self.base.replacingOccurrences(of: "doc_to_text: \"{{q}}?\"", with: "doc_to_text: \"{% if q %}{{q}}\"")))
        #expect(parse.location.line == 6 && parse.message.contains("endif"))
        let render = try #require(try failure(Self.base.replacingOccurrences(of: "{{q}}?", with: "{{question}}?"), evaluate: true))
        #expect(render.location.line == 6 && render.prompt == "t" && render.message.contains("'question' is undefined") && render.message.contains("document 0"))
    }

    @Test func theMultipleInputFormIsRefused() throws {
        // doc_to_text giving a choice index (winogrande's form) means one context per choice in the harness.
        let e = try #require(try failure(Self.base.replacingOccurrences(of: "doc_to_text: \"{{q}}?\"", with: "doc_to_text: label"), evaluate: true))
        #expect(e.message.contains("multiple-input"))
    }

    @Test func aSingleChoiceIsRefused() throws {
        let literal = try #require(try failure(Self.base.replacingOccurrences(of: "doc_to_choice: \"{{choices}}\"", with: "doc_to_choice: [only]")))
        #expect(literal.location.line == 7 && literal.message.contains("at least 2"))
        let data = #"{"q": "a", "choices": ["only"], "label": 0}"# + "\n"
        let rendered = try #require(try failure(Self.base, data: data, evaluate: true))
        #expect(rendered.message.contains("at least 2") && rendered.message.contains("document 0"))
    }

    @Test func missingSplitsAndTooManyShotsAreErrors() throws {
        let split = try #require(try failure(Self.base.replacingOccurrences(of: "test_split: test", with: "test_split: test\nfewshot_split: train")))
        #expect(split.message.contains("'train'"))
        let noData = try #require(try failure(Self.base.replacingOccurrences(of: "dataset_kwargs: {data_files: {test: data.jsonl}}\n", with: "")))
        #expect(noData.message.contains("data_files"))
        // As the harness: examples come from the scored split (no other split named) without an
        // extra draw, so 6 shots of 6 documents is allowed (5 remain once the document itself is
        // removed) and 7 is not; with fewshot_split equal to test_split, one extra is drawn.
        #expect(try failure(Self.base, evaluate: true, shots: 6) == nil)
        let shots = try #require(try failure(Self.base, evaluate: true, shots: 7))
        #expect(shots.message.contains("7-shot needs 7 documents") && shots.message.contains("has 6"))
        let same = try #require(try failure(Self.base + "fewshot_split: test\n", evaluate: true, shots: 6))
        #expect(same.message.contains("6-shot needs 7 documents"))
    }

    @Test func hugeValuesAreRefused() throws {
        let huge = try #require(try failure(Self.base + "num_fewshot: 99999999999999999\n"))
        #expect(huge.message.contains("num_fewshot"))
        let tokens = try #require(try failure(Self.base.replacingOccurrences(of: "multiple_choice", with: "generate_until") + "generation_kwargs: {max_gen_toks: 1000000000}\n"))
        #expect(tokens.message.contains("max_gen_toks"))
        let metric = try #require(try failure(Self.base + "metric_list: [{metric: bleu}]\n"))
        #expect(metric.message.contains("not available for multiple_choice"))
    }

    @Test func severalPromptsGiveADistribution() throws {
        let yaml = Self.base + """
            prompts:
              - name: plain
              - name: framed
                doc_to_text: "Q: {{q}}\\nA:"
              - name: arrow
                doc_to_text: "{{q}} =>"
                target_delimiter: " "
            num_fewshot: 1
            """
        let folder = try Self.taskFolder(yaml)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcomes = try HarnessEvaluation(modelFolder: Self.model, taskFiles: [folder + "/task.yaml"], dataRoot: folder, options: .init(logSamples: true)).run(output: folder + "/out")
        let prompts = try #require(outcomes.first?.prompts)
        #expect(prompts.map(\.prompt) == ["plain", "framed", "arrow"])
        #expect(prompts.allSatisfy { $0.documents == 6 && $0.shots == 1 })
        let samples = try String(contentsOfFile: folder + "/out/samples_t.framed.jsonl", encoding: .utf8)
        #expect(samples.contains("Q: question 0\\nA:"))
        let results = try String(contentsOfFile: folder + "/out/results.json", encoding: .utf8)
        for key in ["\"t.plain\"", "\"t.framed\"", "\"prompt_distributions\"", "\"median\"", "\"iqr\""] { #expect(results.contains(key)) }
    }
}
