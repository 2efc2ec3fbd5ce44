import CanonicalJSON
import Foundation
import Testing
@testable import Scheduling
import StageKinds

/// The builtin kinds that later capabilities ship, run as pipeline stages.
@Suite struct BuiltinKindStageTests {
    @Test func tokenizerStageTrainsOnItsUpstreamCorpus() async throws {
        let p = Project()
        let text = (0..<200).map { "line \($0): the quick brown fox jumps over the lazy dog; le renard brun saute, काली बिल्ली \($0 % 7)" }
            .joined(separator: "\n")
        p.write("corpus/en.txt", text)
        p.write("trellis.yaml", """
            trellis: 1
            params: {vocab: 300}
            stages:
              corpus: {run: "cp corpus/en.txt ${out}/", deps: [corpus/en.txt]}
              tokenizer: {kind: tokenizer, needs: [corpus], with: {vocab_size: "${params.vocab}"}, publish: out/tok}
            """)
        let r = try await p.run()
        #expect(r.succeeded && r.executed == ["corpus", "tokenizer"], "\(r.failed)")
        let json = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: p.path + "/out/tok/tokenizer.json")))
        #expect(json[path: ["model", "type"]] == .string("BPE"))
        #expect(json[path: ["model", "vocab"]]?.objectValue?.count == 300)
        #expect(json[path: ["model", "vocab"]]?.objectValue?["<pad>"] == .int(3))
        // The vocab size is a referenced param: changing it reruns the tokenizer only.
        p.write("trellis.yaml", try String(contentsOfFile: p.path + "/trellis.yaml", encoding: .utf8).replacingOccurrences(of: "vocab: 300", with: "vocab: 320"))
        #expect(try await p.run().executed == ["tokenizer"])
        p.write("trellis.yaml", "trellis: 1\nstages:\n  t: {kind: tokenizer, with: {vocab_sise: 10}}\n")
        await #expect(throws: SchedulerError.self) { try await p.run() }
    }

    @Test func planStageWritesTheLaunchBundle() async throws {
        let p = Project()
        p.write("trellis.yaml", "trellis: 1\nstages:\n  plan: {kind: plan, with: {preset: bloom-176b}}\n  table: {kind: collect, needs: [plan], with: {metrics: [params, gpu_hours]}, publish: out/table}\n")
        let r = try await p.run()
        #expect(r.succeeded, "\(r.failed)")
        let csv = p.read("out/table/table.csv") ?? ""
        #expect(csv.contains("plan,176247271424,"), "\(csv)")
        p.write("trellis.yaml", "trellis: 1\nstages:\n  plan: {kind: plan, with: {preset: bloom-176b, layout: {tensor_parallel: 5}}}\n")
        do { try await p.run(); Issue.record("TP 5 accepted") } catch let e as SchedulerError {
            #expect(e.description.contains("stage 'plan'"))
        }
    }
}
