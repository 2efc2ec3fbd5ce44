import Foundation
import Testing

/// fetch → corpus → tokenizer → train → eval through the CLI, on the offline fixture selection.
@Suite(.serialized) struct PipelineEndToEndTests {
    static let fixtureCache = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CorpusTests/Fixtures/cache").path

    static func manifest(lr: String) -> String {
        """
        trellis: 1
        name: mini
        params: {lr: \(lr)}
        stages:
          fetch: {kind: fetch, with: {selection: fixtures, cache_dir: \(fixtureCache)}}
          corpus: {kind: corpus, needs: [fetch]}
          tokenizer: {kind: tokenizer, needs: [corpus], with: {vocab_size: 400, input: "shards/*/*.jsonl"}}
          pretrain:
            kind: train
            needs: [corpus, tokenizer]
            with:
              model: {hidden: 16, layers: 1, heads: 2}
              sequence_length: 32
              batch_size: 4
              tokens: 24000
              lr: "${params.lr}"
              warmup_tokens: 1000
              checkpoint_every: 10
              validation_every: 50
              validation_percent: 5
              validation_tokens: 256
              workers: 1
          eval:
            kind: eval
            needs: [pretrain, corpus]
            deps: [synopsis.yaml]
            with: {perplexity_tokens: 300, mc_limit: 4, translation: [en-fr, en-de], translation_limit: 3, max_new_tokens: 6,
                   tasks: [synopsis.yaml], task_data: corpus, limit: 4}
          export:
            run: cp ${pretrain.out}/model/* ${out}/
            needs: [pretrain]
          checkpoint-eval:
            kind: eval
            needs: [export, corpus]
            deps: [synopsis.yaml]
            with: {model: export, tasks: [synopsis.yaml], task_data: corpus, limit: 2}
        """
    }

    /// An lm-evaluation-harness task file over the corpus' held-out synopsis questions, two prompts.
    static func taskFile(secondPrompt: String = "Q: {{question}}\\nA:") -> String {
        """
        task: synopsis
        dataset_path: json
        dataset_kwargs: {data_files: {test: eval/mc/ddtp-synopsis.en.jsonl}}
        test_split: test
        output_type: multiple_choice
        doc_to_text: "{{question}}\\nSummary:"
        doc_to_choice: choices
        doc_to_target: answer
        prompts:
          - name: plain
          - name: qa
            doc_to_text: "\(secondPrompt)"
        """
    }

    @Test func runRerunParameterChangeAndResults() throws {
        let cli = CLI()
        cli.write("trellis.yaml", Self.manifest(lr: "0.01"))
        cli.write("synopsis.yaml", Self.taskFile())
        let first = try cli.run("run")
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stderr.contains("7 ran"), "\(first.output)")
        let again = try cli.run("run")
        #expect(again.status == 0 && again.stderr.contains("all 7 stages are up to date"), "\(again.output)")

        cli.write("trellis.yaml", Self.manifest(lr: "0.02"))
        #expect(try cli.statusJSON() == ["fetch": "fresh", "corpus": "fresh", "tokenizer": "fresh", "pretrain": "stale", "eval": "stale", "export": "stale",
                                       "checkpoint-eval": "stale"])
        #expect(try cli.run("why", "pretrain").stdout.contains("param lr: 0.01 → 0.02"))
        let third = try cli.run("run")
        #expect(third.stderr.contains("4 ran") && third.stderr.contains("3 up to date"), "\(third.output)")

        let table = try cli.run("table")
        #expect(table.status == 0 && table.stdout.contains("val loss") && table.stdout.contains("Multiple choice"), "\(table.output)")
        #expect(table.stdout.contains("Task files") && table.stdout.contains("synopsis/acc") && table.stdout.contains("Spread over prompts"), "\(table.output)")
        let report = try cli.run("report", "-o", "report.html")
        let html = try String(contentsOfFile: cli.directory + "/report.html", encoding: .utf8)
        #expect(report.status == 0 && html.contains("<svg") && html.contains("Training loss") && html.contains("pretrain"))
        #expect(html.contains("Scores over prompts") && html.contains("synopsis: acc over prompts"))

        // The task file is a dependency: editing a prompt reruns both eval stages and nothing else.
        cli.write("synopsis.yaml", Self.taskFile(secondPrompt: "Question: {{question}}\\nAnswer:"))
        #expect(try cli.statusJSON()["eval"] == "stale")
        let fourth = try cli.run("run")
        #expect(fourth.stderr.contains("2 ran") && fourth.stderr.contains("5 up to date"), "\(fourth.output)")
        let checkpointEval = try cli.run("show", "checkpoint-eval")
        let checkpointOutput = String(checkpointEval.stdout.split(separator: "\n").first { $0.contains("output:") }!.split(separator: " ").last!)
        let harness = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpointOutput + "/harness/results.json"))) as? [String: Any]
        #expect(((harness?["results"] as? [String: Any])?["synopsis.qa"] as? [String: Any])?["sample_len"] as? Int == 2)
        #expect(checkpointEval.stdout.contains("only the 1 task files run"), "\(checkpointEval.stdout)")

        let eval = try cli.run("show", "eval")
        let output = String(eval.stdout.split(separator: "\n").first { $0.contains("output:") }!.split(separator: " ").last!)
        let translation = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/results/translation.en-fr.json"))) as? [String: Any]
        #expect((translation?["signature"] as? String)?.hasPrefix("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp") == true)
        #expect((translation?["dataset_digest"] as? String)?.count == 64 && translation?["prompt_format"] != nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: output + "/results")
        #expect(files.contains("perplexity.json") && files.contains { $0.hasPrefix("mc.ddtp-synopsis.en.0shot") })
    }

    @Test func sigkillDuringTrainingResumesFromTheCheckpointToTheSameWeights() throws {
        let clean = CLI(), killed = CLI()
        for cli in [clean, killed] { cli.write("trellis.yaml", Self.manifest(lr: "0.01")); cli.write("synopsis.yaml", Self.taskFile()) }
        #expect(try clean.run("run").status == 0)

        let (process, _, _) = try killed.start(["run"])
        var checkpoint: String?
        let deadline = Date().addingTimeInterval(120)
        while checkpoint == nil && Date() < deadline {
            checkpoint = (try? CLI.shell("ls \(killed.directory)/artifacts/resume/*/latest.json 2>/dev/null"))?.split(separator: "\n").first.map(String.init)
            usleep(20_000)
        }
        #expect(checkpoint != nil, "no checkpoint appeared")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let rerun = try killed.run("run")
        #expect(rerun.status == 0, "\(rerun.output)")
        func output(_ cli: CLI) throws -> String {
            let show = try cli.run("show", "pretrain").stdout
            return String(show.split(separator: "\n").first { $0.contains("output:") }!.split(separator: " ").last!)
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try output(killed) + "/summary.json"))) as? [String: Any]
        #expect((summary?["resumed_at_step"] as? Int ?? 0) > 0, "the rerun should have resumed from a checkpoint: \(summary ?? [:])")
        func weights(_ cli: CLI) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: try output(cli) + "/model/model.safetensors")) }
        #expect(try weights(clean) == weights(killed), "a resumed run must end with the uninterrupted run's weights")
        #expect(!FileManager.default.fileExists(atPath: killed.directory + "/artifacts/resume/" + (checkpoint ?? "").split(separator: "/").dropLast().last.map(String.init)!),
                "the resume folder goes once the key succeeded")
    }
}
