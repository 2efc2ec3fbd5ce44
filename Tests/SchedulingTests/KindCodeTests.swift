import Foundation
import PipelineGraph
@testable import Scheduling
import StageKinds
import Testing

/// A builtin stage's key knows the code that runs it (issue #15, item 1).
@Suite struct KindCodeTests {
    @Test func everyKindAndEveryFileOfStageKindsIsAccountedFor() {
        #expect(KindCode.kindsWithoutCode.isEmpty, "kinds with no code entry: \(KindCode.kindsWithoutCode)")
        #expect(KindCode.unclaimedFiles.isEmpty, "StageKinds files no kind claims: \(KindCode.unclaimedFiles)")
    }

    @Test func aKindsCodeReachesTheTargetsItRunsAndNoOthers() throws {
        let train = try #require(KindCode.digests(of: "train"))
        for target in ["TrainKind.swift", "Training", "Models", "TensorEngine", "CPUKernels", "Tokenization"] { #expect(train[target] != nil, "\(target)") }
        #expect(train["ClusterPlanning"] == nil && train["LMEvaluation"] == nil)
        // The trainer reads shards through CorpusFormat: editing a corpus filter reruns `corpus`,
        // and `train` only if the corpus' output changed.
        #expect(train["CorpusFormat"] != nil && train["Corpus"] == nil)
        #expect(try #require(KindCode.digests(of: "eval"))["Corpus"] == nil)
        #expect(try #require(KindCode.digests(of: "corpus"))["Corpus"] != nil)
        let plan = try #require(KindCode.digests(of: "plan"))
        #expect(plan["ClusterPlanning"] != nil && plan["Training"] == nil && plan["TrainKind.swift"] == nil)
        let collect = try #require(KindCode.digests(of: "collect"))
        #expect(collect["Training"] == nil && collect["Corpus"] == nil && collect["CollectKind.swift"] != nil)
        #expect(try #require(KindCode.digests(of: "eval"))["Training"] != nil)
    }

    @Test func editingATargetChangesTheCodeOfExactlyTheKindsThatReachIt() {
        var edited = KindCode.Sources.built
        edited.targets["Training"] = String(repeating: "0", count: 64)
        var changed: [String] = []
        for kind in BuiltinKinds.registry.names.sorted() where KindCode.digests(of: kind, in: edited) != KindCode.digests(of: kind, in: .built) {
            changed.append(kind)
        }
        #expect(changed == ["eval", "train"])
        var file = KindCode.Sources.built
        file.files["CorpusKind.swift"]?.digest = String(repeating: "1", count: 64)
        #expect(BuiltinKinds.registry.names.sorted().filter { KindCode.digests(of: $0, in: file) != KindCode.digests(of: $0, in: .built) } == ["corpus", "fetch"])
    }

    @Test func changedCodeMakesItsStagesStaleAndWhySaysSo() async throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            name: code
            stages:
              files: {kind: write, with: {files: {a.txt: "a"}}}
              sweep: {run: "echo '{\\"loss\\": ${matrix.i}}' > ${out}/metrics.json", matrix: {i: [1, 2]}}
              table: {kind: collect, needs: ["sweep[*]"], with: {sort_by: loss}}
            """)
        #expect(try await p.run().succeeded)
        let registry = BuiltinKinds.registry
        func states(_ identity: @escaping (String) -> KindIdentity?) throws -> [String: StageState] {
            Dictionary(uniqueKeysWithValues: try p.workspace().plan(try p.graph(), targets: [], kindIdentity: identity).map { ($0.instance.name, $0.state) })
        }
        #expect(Set(try states(registry.identity(of:)).values) == [.fresh])
        // The binary rebuilt with an edited collect kind: its stage reruns, the others stay fresh.
        let edited: (String) -> KindIdentity? = { kind in
            guard var identity = registry.identity(of: kind) else { return nil }
            if kind == "collect" { identity.code["CollectKind.swift"] = String(repeating: "f", count: 64) }
            return identity
        }
        let after = try states(edited)
        #expect(after["table"] == .stale && after["files"] == .fresh && after["sweep[i=1]"] == .fresh, "\(after)")
        let entry = try #require(try p.workspace().plan(try p.graph(), targets: ["table"], kindIdentity: edited).first { $0.instance.name == "table" })
        #expect(entry.reasons.contains { $0.contains("code of CollectKind.swift changed") }, "\(entry.reasons)")
    }
}
