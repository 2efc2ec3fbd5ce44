import CanonicalJSON
import ContentDigest
import Foundation
import Testing
@testable import PipelineGraph
@testable import PipelineSpec

/// Loads a manifest from text (written to a temporary folder).
func experiment(_ text: String) throws -> Experiment {
    let dir = NSTemporaryDirectory() + "trellis-graph-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try text.write(toFile: dir + "/m.yaml", atomically: true, encoding: .utf8)
    return try MatrixExpander().expand(try ManifestLoader(knownKinds: ["write"]).load(path: dir + "/m.yaml"))
}

@Suite struct StageKeyTests {
    let base = KeyIngredients(kind: "shell", kindIdentity: nil, command: "echo ${params.x}", config: nil,
                              params: ["x": .int(1), "y": .string("a")], files: ["f": Digest.of(string: "f")],
                              upstream: ["u": Digest.of(string: "u")], env: ["E": "1"], salt: nil)

    @Test func keyIsStableAndIndependentOfInsertionOrder() {
        var reordered = base
        reordered.params = [:]
        reordered.params["y"] = .string("a")
        reordered.params["x"] = .int(1)
        #expect(StageKey.key(base) == StageKey.key(reordered))
        // Pinned: a change to the key composition must be deliberate (bump StageKey.schemaVersion).
        #expect(StageKey.components(base).canonicalString.hasPrefix(#"{"command":"echo ${params.x}","env":{"E":"1"},"files":{"f":"#))
    }

    @Test func everyIngredientChangesTheKey() {
        let k = StageKey.key(base)
        var v = base; v.command = "echo 2"; #expect(StageKey.key(v) != k)
        v = base; v.params["x"] = .int(2); #expect(StageKey.key(v) != k)
        v = base; v.params["x"] = .double(1); #expect(StageKey.key(v) != k)
        v = base; v.files["f"] = Digest.of(string: "g"); #expect(StageKey.key(v) != k)
        v = base; v.upstream["u"] = Digest.of(string: "v"); #expect(StageKey.key(v) != k)
        v = base; v.env["E"] = "2"; #expect(StageKey.key(v) != k)
        v = base; v.salt = "bust"; #expect(StageKey.key(v) != k)
        v = base; v.kind = "write"; v.kindIdentity = KindIdentity(version: 1, code: ["WriteFilesKind.swift": "aa"]); #expect(StageKey.key(v) != k)
        var w = v; w.kindIdentity?.version = 2; #expect(StageKey.key(w) != StageKey.key(v))
        // The kind's code is an ingredient: a rebuilt binary with edited code gives another key.
        var x = v; x.kindIdentity?.code["WriteFilesKind.swift"] = "bb"; #expect(StageKey.key(x) != StageKey.key(v))
    }

    @Test func onlyReferencedParamsEnterTheKey() throws {
        let a = try experiment("trellis: 1\nparams: {x: 1, unused: 1}\nstages:\n  s: {run: \"echo ${params.x}\"}\n")
        let b = try experiment("trellis: 1\nparams: {x: 1, unused: 2}\nstages:\n  s: {run: \"echo ${params.x}\"}\n")
        let key = { (e: Experiment) in
            StageKey.key(KeyIngredients(instance: e["s"]!, kindIdentity: nil, files: [:], upstream: [:], environment: [:]))
        }
        #expect(key(a) == key(b))
    }

    @Test func whyNamesEachChangedIngredient() {
        var v = base
        v.params["x"] = .int(2)
        v.files["f"] = Digest.of(string: "g")
        v.upstream["u"] = Digest.of(string: "v")
        v.command = "echo 2"
        let reasons = KeyDiff.reasons(old: StageKey.components(base), new: StageKey.components(v))
        #expect(reasons.contains("param x: 1 → 2"))
        #expect(reasons.contains { $0.hasPrefix("file f changed") })
        #expect(reasons.contains { $0.hasPrefix("upstream u produced different output") })
        #expect(reasons.contains { $0.hasPrefix("command changed") })
        #expect(!reasons.contains { $0.contains("env") })
    }
}

@Suite struct PlannerTests {
    ///   a ──▶ b ──▶ c        d (fails last time)
    let manifest = """
        trellis: 1
        params: {x: 1}
        stages:
          a: {run: "echo ${params.x} > ${out}/a"}
          b: {run: "cat ${a.out}/a > ${out}/b"}
          c: {run: "cat ${b.out}/b > ${out}/c"}
          d: {run: "false"}
        """

    func inputs(cache: [String: Digest], history: [String: StageHistory] = [:]) -> PlanInputs {
        PlanInputs(actionCache: cache, history: history, kindIdentity: { _ in KindIdentity(version: 1, code: [:]) }, environment: [:],
                   fileDigest: { Digest.of(string: $0) }, treeExists: { _ in true })
    }

    @Test func statesFollowTheCacheAndHistory() throws {
        let e = try experiment(manifest)
        let graph = StageGraph(e)
        // Nothing cached: everything missing, downstream keys unknown.
        let cold = try Planner.plan(graph.instances, directory: "/", inputs: inputs(cache: [:]))
        #expect(cold.map(\.state) == [.missing, .missing, .missing, .missing])
        #expect(cold[0].key != nil && cold[1].key == nil && cold[1].pendingUpstreams == ["a"])

        // a and b cached (b's key depends on a's tree), c not; d failed with its current key.
        let treeA = Digest.of(string: "tree-a"), treeB = Digest.of(string: "tree-b")
        let keyA = cold[0].key!
        var cache = [keyA.hex: treeA]
        let withA = try Planner.plan(graph.instances, directory: "/", inputs: inputs(cache: cache))
        let keyB = withA[1].key!
        cache[keyB.hex] = treeB
        let keyD = cold[3].key!
        let history = ["d": StageHistory(latestKey: keyD.hex, latestFailed: true, lastSuccessComponents: nil),
                       "c": StageHistory(latestKey: "old", latestFailed: false, lastSuccessComponents: .object(["schema": .int(1), "upstream": .object(["b": .string("x")])]))]
        let warm = try Planner.plan(graph.instances, directory: "/", inputs: inputs(cache: cache, history: history))
        #expect(warm.map(\.state) == [.fresh, .fresh, .stale, .failed])
        #expect(warm[2].reasons.contains { $0.hasPrefix("upstream b produced different output") })

        // Targets: the closure of c is a, b, c.
        #expect(graph.closure(of: ["c"]).map(\.name) == ["a", "b", "c"])
        #expect(graph.descendants(of: "a") == ["b", "c"])
        #expect(throws: GraphError.self) { try graph.resolve(targets: ["cc"]) }
    }

    @Test func missingDependencyNamesStageAndLocation() throws {
        let e = try experiment("trellis: 1\nstages:\n  a: {run: x, deps: [nope.txt]}\n")
        var i = inputs(cache: [:])
        i.fileDigest = { _ in throw CocoaError(.fileNoSuchFile) }
        do {
            _ = try Planner.plan(e.instances, directory: "/", inputs: i)
            Issue.record("missing dependency accepted")
        } catch let error as PlanError {
            #expect(error.description.contains("m.yaml:3:") && error.description.contains("'a'") && error.description.contains("nope.txt"))
        }
    }

    /// A wide graph takes the parallel path (levels of 200): keys equal those of a one-by-one
    /// plan of the same instances, and each level turns fresh once its upstream level is cached.
    @Test func wideLevelsPlanLikeOneByOne() throws {
        var text = "trellis: 1\nparams: {x: 1}\nstages:\n"
        for i in 0..<200 { text += "  a\(i): {run: \"echo \(i) ${params.x} > ${out}/f\"}\n" }
        for i in 0..<200 { text += "  b\(i): {run: \"cat ${a\(i).out}/f ${a\((i + 1) % 200).out}/f > ${out}/f\"}\n" }
        let instances = try experiment(text).instances
        var cache: [String: Digest] = [:]
        for round in 0..<3 {
            let plan = try Planner.plan(instances, directory: "/", inputs: inputs(cache: cache))
            var trees: [String: Digest] = [:]
            for (instance, entry) in zip(instances, plan) {
                #expect(entry.instance.name == instance.name)
                let reference = try Planner.planOne(instance, directory: "/", inputs: inputs(cache: cache), freshTree: trees)
                #expect(entry.key == reference.key && entry.state == reference.state)
                if entry.state == .fresh, let tree = entry.tree { trees[instance.name] = tree }
            }
            let fresh = plan.filter { $0.state == .fresh }.count
            #expect(fresh == [0, 200, 400][round])
            for entry in plan { if let key = entry.key { cache[key.hex] = Digest.of(string: "tree " + entry.instance.name) } }
        }
    }

    @Test func missingDependencyInAWideLevelNamesTheFirstInOrder() throws {
        var text = "trellis: 1\nstages:\n"
        for i in 0..<100 { text += "  s\(i): {run: x, deps: [\(i < 40 ? "ok" : "missing\(i)").txt]}\n" }
        var i = inputs(cache: [:])
        i.fileDigest = { path in
            guard path.hasSuffix("ok.txt") else { throw CocoaError(.fileNoSuchFile) }
            return Digest.of(string: path)
        }
        #expect { try Planner.plan(try experiment(text).instances, directory: "/", inputs: i) } throws: { error in
            (error as? PlanError)?.description.contains("'s40'") == true
        }
    }

    @Test func dagRendersAllFormats() throws {
        let graph = StageGraph(try experiment(manifest))
        #expect(DagRenderer.render(graph.instances, format: .text).contains("c  ← b"))
        #expect(DagRenderer.render(graph.instances, format: .dot).contains("\"a\" -> \"b\";"))
        let mermaid = DagRenderer.render(graph.instances, format: .mermaid, states: ["a": .fresh])
        #expect(mermaid.hasPrefix("flowchart LR") && mermaid.contains("s0 --> s1") && mermaid.contains("class s0 fresh"))
    }
}
