import ContentStore
import Execution
import Foundation
import PipelineGraph
@testable import Scheduling
import StageKinds
import Testing

/// `trellis verify --rerun STAGE` (issue #15): rerun a stored stage and compare outputs.
@Suite struct StageRerunTests {
    func project() async throws -> Project {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            stages:
              det: {run: "echo hello > ${out}/a.txt"}
              rnd: {run: "head -c 16 /dev/urandom | od -x > ${out}/r.txt; echo same > ${out}/s.txt", needs: [det]}
              timed: {run: "printf '{\\"loss\\": 2.5, \\"seconds\\": %s}' $RANDOM$RANDOM > ${out}/metrics.json", needs: [det]}
              moved: {run: "printf '{\\"loss\\": %s, \\"seconds\\": 1}' $RANDOM$RANDOM > ${out}/metrics.json"}
            """)
        #expect(try await p.run().succeeded)
        return p
    }

    func rerun(_ p: Project, _ name: String) async throws -> StageRerun.Comparison {
        let registry = BuiltinKinds.registry
        return try await StageRerun(workspace: try p.workspace(), graph: try p.graph(), executor: LocalExecutor(builtins: registry), builtins: registry)
            .rerun(name, cores: 1)
    }

    @Test func aDeterministicStageReproducesItsStoredOutputAndTheStoreIsUntouched() async throws {
        let p = try await project()
        let cacheBefore = try p.workspace().database.actionCache()
        let det = try await rerun(p, "det")
        #expect(det.identical && det.reproduced && det.differences.files.isEmpty)
        let rnd = try await rerun(p, "rnd")
        #expect(!rnd.identical && !rnd.reproduced)
        #expect(rnd.differences.files.map(\.description) == ["r.txt"])
        #expect(rnd.verdict.contains("not deterministic"))
        // The rerun's output is checked out for diffing; the action cache still serves the stored one.
        #expect(FileManager.default.fileExists(atPath: rnd.rerunCheckout + "/r.txt") && rnd.rerunCheckout != rnd.storedCheckout)
        #expect(try p.workspace().database.actionCache() == cacheBefore)
        #expect(Set(try p.states().values) == [.fresh])
        #expect(try FileManager.default.contentsOfDirectory(atPath: p.path + "/artifacts/work").isEmpty, "the staging folder is removed")
    }

    @Test func jsonFieldsAreNamedAndWallClockOnlyDifferencesCountAsReproduced() async throws {
        let p = try await project()
        let timed = try await rerun(p, "timed")
        #expect(!timed.identical && timed.reproduced, "\(timed.differences)")
        #expect(timed.differences.files.map(\.description) == ["metrics.json: seconds"])
        let moved = try await rerun(p, "moved")
        #expect(!moved.reproduced && moved.differences.files.first?.fields == ["loss"])
    }

    @Test func theVerdictNamesTheNumericPaths() {
        var c = StageRerun.Comparison(stage: "s", key: .of(string: "k"), stored: .of(string: "a"), rerun: .of(string: "b"),
                                      storedNumericPath: "engine avx512; openblas SkylakeX", rerunNumericPath: "engine portable; openblas Haswell",
                                      differences: OutputDifferences(files: [.init(path: "model.safetensors", presence: nil, fields: nil)]),
                                      storedCheckout: "/x", rerunCheckout: "/y")
        #expect(c.verdict.contains("numeric paths differ") && c.verdict.contains("engine avx512; openblas SkylakeX") && c.verdict.contains("engine portable"))
        c.rerunNumericPath = c.storedNumericPath
        #expect(c.verdict.contains("not deterministic"))
        #expect(OutputDifferences.isTiming("tokens_per_second") && OutputDifferences.isTiming("line 3: training_seconds")
                && !OutputDifferences.isTiming("loss") && !OutputDifferences.isTiming("second_moment"))
    }

    /// A rerun is hostile-stage safe like a run: writing into an upstream's output fails it, and the
    /// damaged stored copy is never served afterwards.
    @Test func aRerunThatWritesIntoItsUpstreamFailsAndTheDamageIsNotServed() async throws {
        let p = Project()
        p.write("trellis.yaml", """
            trellis: 1
            stages:
              det: {run: "echo hello > ${out}/a.txt"}
              hostile: {run: "cat ${det.out}/a.txt > ${out}/o; if [ -f rerun.flag ]; then chmod u+w ${det.out}/a.txt; echo x >> ${det.out}/a.txt; fi", needs: [det]}
            """)
        #expect(try await p.run().succeeded)
        p.write("rerun.flag", "")
        await #expect {
            _ = try await rerun(p, "hostile")
        } throws: { error in
            guard case StageRerun.Problem.failed(let stage, let message, _) = error else { return false }
            return stage == "hostile" && message.contains("changed upstream output")
        }
        let ws = try p.workspace()
        let det = try #require(try ws.plan(try p.graph(), targets: ["det"], kindIdentity: BuiltinKinds.registry.identity(of:)).first)
        if det.state == .fresh, let tree = det.tree {
            #expect(try String(contentsOfFile: ws.trees.materialize(tree) + "/a.txt", encoding: .utf8) == "hello\n")
        }
    }

    @Test func aStageWithoutAStoredOutputIsRefused() async throws {
        let p = try await project()
        p.write("trellis.yaml", p.read("trellis.yaml")!.replacingOccurrences(of: "echo hello", with: "echo changed"))
        await #expect {
            _ = try await rerun(p, "det")
        } throws: { error in
            guard case StageRerun.Problem.notStored(let stage, let state, _) = error else { return false }
            return stage == "det" && state == .stale
        }
    }
}
