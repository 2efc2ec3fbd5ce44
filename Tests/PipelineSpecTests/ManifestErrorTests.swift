import Foundation
import Testing
@testable import PipelineSpec

@Suite struct ManifestErrorTests {
    let scratch = Scratch()

    @Test func unknownStageKeyNamesLineColumnAndSuggests() {
        let e = scratch.error("""
            trellis: 1
            stages:
              a:
                run: echo
                dpes: [x]
            """)
        guard case .unknownKey(let loc, "dpes", _, "deps")? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 5 && loc.column == 5)
        #expect(e!.location.hasSuffix("m.yaml:5:5"))
        #expect(e!.hint == "did you mean 'deps'?")
    }

    @Test func unknownTopLevelKey() {
        let e = scratch.error("trellis: 1\nstage: {}\n")
        guard case .unknownKey(_, "stage", _, "stages")? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func unknownKindSuggestsClosest() {
        let e = scratch.error("trellis: 1\nstages:\n  a: {kind: colect}\n")
        guard case .unknownKind(let loc, "colect", "collect")? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 3)
    }

    @Test func undefinedParamReference() {
        let e = scratch.error("trellis: 1\nparams: {greeting: hi}\nstages:\n  a: {run: \"echo ${params.greting}\"}\n")
        guard case .undefinedReference(let loc, "params.greting", "params.greeting")? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 4)
    }

    @Test func undefinedStageInNeeds() {
        let e = scratch.error("trellis: 1\nstages:\n  make: {run: x}\n  b: {run: y, needs: [mkae]}\n")
        guard case .undefinedReference(_, "mkae", "make")? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func cycleIsPrintedInOrder() {
        let e = scratch.error("""
            trellis: 1
            stages:
              a: {run: x, needs: [c]}
              b: {run: y, needs: [a]}
              c: {run: "cat ${b.out}/f"}
            """)
        guard case .cycle(_, let stages)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(stages.count == 4 && stages.first == stages.last)
        #expect(Set(stages) == ["a", "b", "c"])
        #expect(e!.message.contains(" -> "))
    }

    @Test func duplicateStageIsRefused() {
        let e = scratch.error("trellis: 1\nstages:\n  a: {run: x}\n  a: {run: y}\n")
        guard case .duplicateKey(let loc, "a")? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 3 || loc.line == 4)
    }

    @Test func duplicateMatrixMemberIsRefused() {
        let e = scratch.error("trellis: 1\nstages:\n  s: {run: x, matrix: {v: [1, \"1\"]}}\n")
        guard case .duplicateStage(_, "s[v=1]", _)? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func duplicateOutputPathIsRefused() {
        let e = scratch.error("trellis: 1\nstages:\n  a: {run: x, publish: out/a}\n  b: {run: y, publish: out/a/sub}\n")
        guard case .duplicateOutput(_, _, let stages)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(stages == ["a", "b"])
        // A matrix stage publishing one path for every member clashes with itself.
        let m = scratch.error("trellis: 1\nstages:\n  s: {run: x, matrix: {v: [1, 2]}, publish: results}\n")
        guard case .duplicateOutput? = m else { Issue.record("got \(String(describing: m))"); return }
    }

    @Test func wrongTypeNamesTheField() {
        let e = scratch.error("trellis: 1\nstages:\n  a: {run: x, needs: {b: 1}}\n")
        guard case .wrongType(let loc, "needs", _, "mapping")? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 3)
        let r = scratch.error("trellis: 1\nstages:\n  a: {run: x, resources: {cores: two}}\n")
        guard case .wrongType(_, "resources.cores", _, _)? = r else { Issue.record("got \(String(describing: r))"); return }
    }

    @Test func runAndKindTogetherAreRefused() {
        let e = scratch.error("trellis: 1\nstages:\n  a: {run: x, kind: collect}\n")
        guard case .conflictingFields? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func versionIsRequiredAndChecked() {
        guard case .missingField(_, "trellis", _)? = scratch.error("stages: {}\n") else { Issue.record("missing version accepted"); return }
        guard case .unsupportedVersion(_, "2")? = scratch.error("trellis: 2\n") else { Issue.record("version 2 accepted"); return }
    }

    @Test func yamlSyntaxErrorHasLineAndColumn() {
        let e = scratch.error("trellis: 1\nstages:\n  a: {run: [unclosed\n  b: 1\n")
        guard case .yamlSyntax(let loc, _)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line >= 3)
    }

    @Test func aliasBombIsRefusedQuickly() {
        var text = "trellis: 1\nparams:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "  l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "stages: {}\n"
        let start = Date()
        guard case .tooManyNodes? = scratch.error(text) else { Issue.record("alias bomb accepted"); return }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func hugeMatrixIsRefusedBeforeExpansion() {
        let values = "[" + (0..<100).map(String.init).joined(separator: ",") + "]"
        let e = scratch.error("trellis: 1\nstages:\n  s: {run: x, matrix: {a: \(values), b: \(values), c: \(values)}}\n")
        guard case .expansionTooLarge(_, "s", 1_000_000, _)? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func missingFileIsReported() {
        do {
            _ = try ManifestLoader().load(path: scratch.path + "/nope.yaml")
            Issue.record("missing manifest accepted")
        } catch let e as ManifestError {
            guard case .unreadable(_, "no such file") = e else { Issue.record("got \(e)"); return }
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func extendsCycleIsRefused() {
        scratch.write("a.yaml", "trellis: 1\nextends: b.yaml\n")
        scratch.write("b.yaml", "trellis: 1\nextends: a.yaml\n")
        #expect(throws: ManifestError.self) { try scratch.load("a.yaml") }
    }
}
