import CanonicalJSON
import Foundation
import PipelineGraph
@testable import Scheduling
@testable import StageKinds
import Testing

/// A builtin stage's key carries its `with` block with the kind's defaults written out (issue #15, item 1).
@Suite struct KindDefaultsTests {
    /// Blocks that leave defaults out, and the same settings written out in part.
    static let equivalents: [(kind: String, implicit: String, explicit: String)] = [
        ("train", #"{"tokens": 200000}"#, #"{"tokens": 200000, "lr": 0.001, "model": {"position": "alibi", "hidden": 128}, "seed": 42}"#),
        ("eval", #"{"mc_limit": 10}"#, #"{"mc_limit": 10, "shots": [0, 1], "perplexity": true}"#),
        ("tokenizer", #"{}"#, #"{"vocab_size": 8192, "input": "*.txt", "dedup_lines": true, "reserved": 0}"#),
        ("prompts", #"{"datasets": [{"name": "d", "files": ["x.jsonl"], "lang": "en", "templates": [{"name": "t", "inputs": "{{a}}", "targets": "{{b}}"}]}]}"#,
         #"{"seed": 1234, "cap": 100000, "datasets": [{"name": "d", "files": ["x.jsonl"], "lang": "en", "templates": [{"name": "t", "inputs": "{{a}}", "targets": "{{b}}"}]}]}"#),
        ("corpus", #"{"pii": false}"#, #"{"pii": false, "filters": "roots", "dedup": {"near": true, "simhash": {"hamming": 4}}, "perplexity": {"percentile": 98}}"#),
    ]

    func resolve(_ kind: String, _ text: String) throws -> JSONValue {
        try #require(BuiltinKinds.registry[kind]).resolved(config: try JSONValue.parse(text))
    }

    @Test(arguments: equivalents.indices)
    func writingADefaultOrLeavingItOutIsTheSameBlock(_ i: Int) throws {
        let (kind, implicit, explicit) = Self.equivalents[i]
        let resolved = try resolve(kind, implicit)
        #expect(resolved == (try resolve(kind, explicit)), "\(kind)")
        #expect(resolved != (try JSONValue.parse(implicit)), "\(kind): its defaults are written out")
        // Resolving is idempotent: the resolved block is a block the kind accepts and means the same.
        #expect(try BuiltinKinds.registry[kind]!.resolved(config: resolved) == resolved, "\(kind)")
    }

    @Test func theResolvedBlockDecodesToTheSameSettings() throws {
        let train = try JSONValue.parse(#"{"tokens": 200000, "model": {"layers": 2}, "batch_ramp": {"start": 2, "increment": 2, "tokens": 1024}}"#)
        #expect(try TrainKind().decode(try TrainKind().resolved(config: train)) == (try TrainKind().decode(train)))
        let eval = try JSONValue.parse(#"{"translation": ["en-fr"], "languages": ["en"]}"#)
        #expect(try EvalKind().decode(try EvalKind().resolved(config: eval)) == (try EvalKind().decode(eval)))
        let tokenizer = try JSONValue.parse(#"{"vocab_size": 300}"#)
        let a = try TokenizerKind().decode(try TokenizerKind().resolved(config: tokenizer)), b = try TokenizerKind().decode(tokenizer)
        #expect(a.vocabularySize == b.vocabularySize && a.reservedTokens == b.reservedTokens && a.deduplicateLines == b.deduplicateLines && a.inputPattern == b.inputPattern)
        for text in [#"{"dedup": {"near": false}, "perplexity": {"enabled": false}, "filters": "none"}"#,
                     #"{"dedup": {"template_lines": {"min_length": 20}}, "shard_bytes": 4096, "perplexity": {"reference_bytes": 1000}}"#] {
            let corpus = try JSONValue.parse(text)
            let x = try CorpusKind().configuration(corpus, input: "", output: "", cores: 1)
            let y = try CorpusKind().configuration(try CorpusKind().resolved(config: corpus), input: "", output: "", cores: 1)
            #expect(x.qualityFilters == y.qualityFilters && x.exactDedup == y.exactDedup && x.nearDedup.map { [$0.0, $0.1, $0.2] } == y.nearDedup.map { [$0.0, $0.1, $0.2] }
                    && x.templateLines.map { [$0.0, $0.1] } == y.templateLines.map { [$0.0, $0.1] } && x.pii == y.pii && x.piiInCode == y.piiInCode
                    && x.decontaminate == y.decontaminate && x.shardBytes == y.shardBytes && x.perplexity == y.perplexity, "\(text)")
        }
    }

    @Test func stagesThatDifferOnlyInAWrittenDefaultShareAKey() throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            name: defaults
            stages:
              implicit: {kind: tokenizer, with: {vocab_size: 300}}
              explicit: {kind: tokenizer, with: {vocab_size: 300, input: "*.txt", dedup_lines: true}}
              other: {kind: tokenizer, with: {vocab_size: 300, dedup_lines: false}}
            """)
        let entries = try p.workspace().plan(try p.graph(), targets: [], kindIdentity: BuiltinKinds.registry.identity(of:))
        let keys = Dictionary(uniqueKeysWithValues: entries.map { ($0.instance.name, try! #require($0.key)) })
        #expect(keys["implicit"] == keys["explicit"] && keys["implicit"] != keys["other"])
    }

    @Test func aDefaultChangedInCodeMakesThatKindsStagesStaleAndNoOthers() async throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            name: defaults
            stages:
              files: {kind: write, with: {files: {a.txt: "a b c"}}}
              bpe: {kind: tokenizer, needs: [files], with: {vocab_size: 270}}
              table: {kind: collect, needs: [bpe]}
            """)
        #expect(try await p.run().succeeded)
        let registry = BuiltinKinds.registry
        // A binary whose tokenizer kind defaults `dedup_lines` to false.
        let changedDefault: (String) -> KindIdentity? = { kind in
            guard var identity = registry.identity(of: kind) else { return nil }
            if kind == "tokenizer" {
                let original = identity.resolve
                identity.resolve = { config in
                    var members = config.objectValue ?? [:]
                    if members["dedup_lines"] == nil { members["dedup_lines"] = .bool(false) }
                    return try original(.object(members))
                }
            }
            return identity
        }
        let entries = try p.workspace().plan(try p.graph(), targets: [], kindIdentity: changedDefault)
        let states = Dictionary(uniqueKeysWithValues: entries.map { ($0.instance.name, $0.state) })
        #expect(states["files"] == .fresh && states["bpe"] == .stale, "\(states)")
        let bpe = try #require(entries.first { $0.instance.name == "bpe" })
        #expect(bpe.reasons.contains { $0.contains("dedup_lines") }, "\(bpe.reasons)")
    }

    @Test func aBadBlockIsRefusedWhenPlanningNamingTheStage() throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            name: defaults
            stages:
              bpe: {kind: tokenizer, with: {vocab_size: -3}}
            """)
        #expect {
            _ = try p.workspace().plan(try p.graph(), targets: [], kindIdentity: BuiltinKinds.registry.identity(of:))
        } throws: { error in
            guard case PlanError.invalidConfig(let stage, let location, let problem) = error else { return false }
            return stage == "bpe" && location.line == 4 && problem.contains("vocab_size")
        }
    }
}
