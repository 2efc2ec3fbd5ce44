import Foundation
import Testing

/// `trellis eval` on the harness-parity fixture checkpoint and task files: the harness's layout is
/// written, options are honoured, and a bad task file is a located error with exit status 2.
@Suite struct EvalCommandTests {
    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LMEvaluationTests/Fixtures/harness").path

    @Test func evaluatesACheckpointFolderOnTaskFiles() throws {
        let cli = CLI()
        let result = try cli.run("eval", "--model", Self.harness + "/model", "--tasks", Self.harness + "/tasks/mc.yaml," + Self.harness + "/tasks/gen.yaml",
                                 "--data-root", Self.harness + "/tasks", "--limit", "3", "--num-fewshot", "1", "--log-samples", "--output", "out")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("fixture_mc\t1-shot\tn=3") && result.stdout.contains("fixture_gen\t1-shot\tn=3"), "\(result.stdout)")
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.directory + "/out/results.json"))) as? [String: Any]
        #expect((results?["n-shot"] as? [String: Any])?["fixture_mc"] as? Int == 1)
        #expect(((results?["n-samples"] as? [String: Any])?["fixture_mc"] as? [String: Any])?["effective"] as? Int == 3)
        #expect(((results?["results"] as? [String: Any])?["fixture_gen"] as? [String: Any])?["bleu,none"] != nil)
        #expect(cli.exists("out/samples_fixture_mc.jsonl") && cli.exists("out/samples_fixture_gen.jsonl"))
    }

    @Test func aBadTaskFileIsALocatedError() throws {
        let cli = CLI()
        cli.write("bad.yaml", "task: t\ndataset_path: json\ndataset_kwargs: {data_files: {test: d.jsonl}}\ntest_split: test\ndoc_to_text: x\ndoc_to_target: y\nprocess_docs: f\n")
        let result = try cli.run("eval", "--model", Self.harness + "/model", "--tasks", "bad.yaml", "--output", "out")
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("bad.yaml:7:1: unsupported field 'process_docs'"), "\(result.stderr)")
        let absent = try cli.run("eval", "--model", Self.harness + "/model", "--tasks", "nosuch.yaml", "--output", "out")
        #expect(absent.status == 2 && absent.stderr.contains("nosuch.yaml:1:1: cannot read the task file: no such file"), "\(absent.stderr)")
        let missing = try cli.run("eval", "--model", cli.directory, "--tasks", Self.harness + "/tasks/mc.yaml", "--data-root", Self.harness + "/tasks", "--output", "out")
        #expect(missing.status != 0 && missing.stderr.contains("config.json"), "\(missing.stderr)")
    }
}
