import Foundation
import Testing

/// A `prompts` stage through `trellis run`: records from an upstream output, templates rendered,
/// the xP3 layout stored; a template naming a missing field fails the stage with dataset, template
/// and record; an unknown key fails while planning.
@Suite struct PromptsStageTests {
    static func manifest(targets: String, extra: String = "") -> String {
        """
        trellis: 1
        name: mixture
        stages:
          data:
            kind: write
            with:
              files:
                "records/a.jsonl": "{\\"q\\": \\"Two plus two\\", \\"a\\": \\"four\\", \\"lang\\": \\"en\\"}\\n{\\"q\\": \\"Deux plus deux\\", \\"a\\": \\"quatre\\", \\"lang\\": \\"fr\\"}\\n"
          prompts:
            kind: prompts
            needs: [data]
            with:
              \(extra)datasets:
                - {name: arithmetic, from: data, files: ["records/*.jsonl"], lang_field: lang,
                   templates: [{name: ask, inputs: "Question: {{ q }}?", targets: "\(targets)"}]}
        """
    }

    @Test func buildsTheMixtureFromAnUpstreamOutput() throws {
        let cli = CLI()
        cli.write("trellis.yaml", Self.manifest(targets: "{{ a }}"))
        let run = try cli.run("run")
        #expect(run.status == 0, "\(run.output)")
        let show = try cli.run("show", "prompts").stdout
        let output = String(show.split(separator: "\n").first { $0.contains("output:") }!.split(separator: " ").last!)
        let french = try String(contentsOfFile: output + "/xp3/fr/arithmetic.ask.jsonl", encoding: .utf8)
        #expect(french == #"{"inputs":"Question: Deux plus deux?","lang":"fr","split":"train","targets":"quatre","task":"arithmetic","template":"ask"}"# + "\n")
        #expect(FileManager.default.fileExists(atPath: output + "/counts.md"))
    }

    @Test func badTemplatesAndKeysAreNamed() throws {
        let cli = CLI()
        cli.write("trellis.yaml", Self.manifest(targets: "{{ answer }}"))
        let run = try cli.run("run")
        #expect(run.status != 0)
        let log = try cli.run("show", "prompts").stdout
        #expect(log.contains("dataset 'arithmetic', template 'ask', targets on records/a.jsonl record") && log.contains("'answer' is undefined"), "\(log)")
        cli.write("trellis.yaml", Self.manifest(targets: "{{ a }}", extra: "shuffle: true\n      "))
        let plan = try cli.run("status")
        #expect(plan.status == 2 && plan.stderr.contains("with.shuffle: unknown key"), "\(plan.stderr)")
    }
}
