import CanonicalJSON
import Foundation
import Testing
@testable import PipelineSpec

/// Absurd manifests (issue #14): each is refused at once with a located error and a hint,
/// never a runtime trap, an out-of-memory kill or an error without a place.
@Suite struct AbsurdInputTests {
    let scratch = Scratch()

    /// The error `text` raises as `m.yaml`, with its location checked to name line and column.
    func locatedError(_ text: String, line: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ManifestError? {
        guard let e = scratch.error(text) else {
            Issue.record("accepted:\n\(text.prefix(300))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(e.location.contains("m.yaml:\(line.map(String.init) ?? "")"), "\(e.location)", sourceLocation: sourceLocation)
        #expect(e.location.split(separator: ":").count == 3, "no line and column in \(e.location)", sourceLocation: sourceLocation)
        return e
    }

    @Test func matrixWhoseSizeOverflowsIsRefusedAtOnce() {
        let start = Date()
        let binary = (0..<64).map { "a\($0): [0, 1]" }.joined(separator: ", ")
        let sixteen = "[" + (0..<16).map(String.init).joined(separator: ", ") + "]"
        let wide = (0..<16).map { "a\($0): \(sixteen)" }.joined(separator: ", ")
        for axes in [binary, wide] {
            let e = locatedError("trellis: 1\nstages:\n  s: {run: x, matrix: {\(axes)}}\n", line: 3)
            guard case .expansionTooLarge(_, "s", Int.max, 200_000)? = e else { Issue.record("got \(String(describing: e))"); continue }
            #expect(e!.message.contains("more than"))
            #expect(e!.hint != nil)
        }
        // Fan-out multiplies too: 2^16 members (under the limit) inherited by a stage with 48 more axes.
        let upstream = (0..<16).map { "a\($0): [0, 1]" }.joined(separator: ", ")
        let own = (0..<48).map { "b\($0): [0, 1]" }.joined(separator: ", ")
        let e = locatedError("trellis: 1\nstages:\n  s: {run: x, matrix: {\(upstream)}}\n  t: {run: \"${s.out}\", matrix: {\(own)}}\n", line: 4)
        guard case .expansionTooLarge(_, "t", Int.max, _)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func absurdResourcesAreLocatedErrors() {
        let inputs = [
            "memory: 100000000000T", "memory: \"1e400\"", "memory: 100000000000000000000", "memory: infGB", "memory: nanMB",
            "memory: 8E", "memory: 0x10GB", "memory: -1GB", "memory: 1e400",
            "time: 1e300s", "time: \"99999999999999999:00:00\"", "time: \"99999999999999999999999:00\"", "time: infs",
            "time: \"-1:00\"", "time: \"1::\"", "time: 0.0s", "time: 9223372036854775807", "time: 4000d",
            "cores: 9223372036854775807", "cores: 99999999999999999999", "gpus: 100000000", "cores: -3",
        ]
        for input in inputs {
            let e = locatedError("trellis: 1\nstages:\n  a:\n    run: x\n    resources: {\(input)}\n", line: 5)
            #expect(e?.message.contains("resources.") == true, "\(input): \(String(describing: e))")
        }
        guard case .valueTooLarge(_, "resources.memory", _, _)? = scratch.error("trellis: 1\nstages:\n  a: {run: x, resources: {memory: \"1e400\"}}\n") else {
            Issue.record("1e400 bytes is not reported as too large"); return
        }
        // Sensible values still read, fractions of a second round up instead of becoming 0.
        scratch.write("m.yaml", "trellis: 1\nstages:\n  a: {run: x, resources: {memory: 1.5GB, time: 0.2s, cores: 64}}\n")
        let r = try? scratch.load()["a"]!.resources
        #expect(r?.memoryBytes == 3 << 29 && r?.timeLimitSeconds == 1 && r?.cores == 64)
    }

    @Test func signedHexDigitsDoNotOverflow() throws {
        let node = try YAMLReader().read(text: "a: -0x-8000000000000000\nb: 0x-5\nc: -0x10\n", file: "t.yaml")
        #expect(node.json.objectValue?["a"] == .string("-0x-8000000000000000"))
        #expect(node.json.objectValue?["b"] == .string("0x-5") && node.json.objectValue?["c"] == .int(-16))
    }

    @Test func interpolatingALargeValueIntoAMatrixIsRefusedEarly() {
        // ~1.1 million list items through aliases (under the node budget), interpolated into
        // every member of a 2,000-member matrix: 2.4 GB of commands if expanded.
        var text = "trellis: 1\nparams:\n  l0: &l0 [xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx, xxxxxxxxxx]\n"
        for i in 1...5 { text += "  l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: i == 5 ? 1 : 10).joined(separator: ", ") + "]\n" }
        text += "stages:\n  s: {run: \"echo ${params.l5}\", matrix: {i: [" + (0..<2000).map(String.init).joined(separator: ", ") + "]}}\n"
        let start = Date()
        let e = locatedError(text)
        guard case .interpolationTooLarge(let location, _, _, _)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(location.line == 10)
        #expect(e!.hint != nil)
        #expect(Date().timeIntervalSince(start) < 5)

        // Many members, each under the per-string cap, still stop at the total budget.
        var expander = MatrixExpander()
        expander.maxInterpolatedBytes = 1 << 20
        scratch.write("m.yaml", "trellis: 1\nparams: {l: [" + Array(repeating: "abcdefghij", count: 100).joined(separator: ", ") + "]}\n"
                      + "stages:\n  s: {run: \"echo ${params.l}\", matrix: {i: [" + (0..<2000).map(String.init).joined(separator: ", ") + "]}}\n")
        do {
            _ = try expander.expand(try ManifestLoader().load(path: scratch.path + "/m.yaml"))
            Issue.record("2.6 MB of commands accepted under a 1 MiB budget")
        } catch let ManifestError.interpolationTooLarge(location, _, limit, perString) {
            #expect(!perString && limit == 1 << 20)
            #expect(location.line == 4 && location.column == 12)
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func anErrorInEveryMemberIsPaidForOnce() {
        // Each failing member would list 100,000 param paths for its "did you mean".
        var text = "trellis: 1\nparams:\n  l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n"
        for i in 1...4 { text += "  l\(i): &l\(i) {" + (0..<10).map { "k\($0): *l\(i - 1)" }.joined(separator: ", ") + "}\n" }
        text += "stages:\n  s: {run: \"${params.nope}\", matrix: {i: [" + (0..<20_000).map(String.init).joined(separator: ", ") + "]}}\n"
        let start = Date()
        guard case .undefinedReference(let location, "params.nope", _)? = locatedError(text) else { Issue.record("accepted"); return }
        #expect(location.line == 9)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func extendsNamingADirectoryIsALocatedError() {
        scratch.write("sub/keep.txt", "")
        for target in [".", "sub", "sub/", "\"\""] {
            let e = locatedError("trellis: 1\nextends: \(target)\nstages: {}\n", line: 2)
            guard case .invalidValue(let location, "extends", let reason)? = e else { Issue.record("\(target): got \(String(describing: e))"); continue }
            #expect(location.column == 10)
            #expect(reason.contains("directory"))
        }
        // The manifest itself being a directory says so (there is no line to point at).
        do { _ = try ManifestLoader().load(path: scratch.path + "/sub"); Issue.record("directory accepted") } catch let e as ManifestError {
            guard case .unreadable(_, let reason) = e else { Issue.record("got \(e)"); return }
            #expect(reason.contains("directory"))
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func emptyMatrixAxisNamesTheAxis() {
        let e = locatedError("trellis: 1\nstages:\n  s: {run: x, matrix: {k: []}}\n", line: 3)
        guard case .emptyMatrixAxis(let location, "k")? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(location.column == 27)
        #expect(e!.message.contains("'k' is empty") && !e!.message.contains("found list"))
        #expect(e!.hint?.contains("k: [1, 2]") == true)
    }

    @Test func publishPathsStayInsideTheManifestFolder() throws {
        for path in ["../x", "../../../../elsewhere/y", "/abs/path", "~/x", "\"~\"", "\"\"", "a/../..", ".", "./", "a/../../b"] {
            let e = locatedError("trellis: 1\nstages:\n  a: {run: x, publish: \(path)}\n", line: 3)
            guard case .invalidPublishPath(let location, _, _)? = e else { Issue.record("\(path): got \(String(describing: e))"); continue }
            #expect(location.column == 24)
            #expect(e!.hint != nil)
        }
        // Values known only after substitution are checked then, at the same place.
        let e = locatedError("trellis: 1\nparams: {up: ..}\nstages:\n  s:\n    run: x\n    matrix: {d: [ok, \"..\"]}\n    publish: \"${matrix.d}/x/..\"\n", line: 7)
        guard case .invalidPublishPath(_, "../x/..", _)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(locatedError("trellis: 1\nparams: {up: ..}\nstages:\n  a: {run: x, publish: \"${params.up}/x\"}\n", line: 4) != nil)
        // Paths that stay inside are still fine, and clash checks see through `.` and `a/..`.
        scratch.write("m.yaml", "trellis: 1\nstages:\n  s: {run: x, matrix: {i: [1, 2]}, publish: \"out/./${matrix.i}/\"}\n  t: {run: y, publish: b/../c}\n")
        #expect(try scratch.load().instances.compactMap(\.publish) == ["out/./1/", "out/./2/", "b/../c"])
        let clash = scratch.error("trellis: 1\nstages:\n  a: {run: x, publish: out/a}\n  b: {run: y, publish: out/./a/../a/sub}\n")
        guard case .duplicateOutput(_, "out/a/sub", ["a", "b"])? = clash else { Issue.record("got \(String(describing: clash))"); return }
    }

    @Test func deepNestingAndLongChainsAreHandled() throws {
        // Nesting past the limit is a located error (also when an alias adds the depth).
        let deep = "trellis: 1\nparams: {x: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}\n"
        guard case .nestingTooDeep(let location, 256)? = locatedError(deep, line: 2) else { Issue.record("deep nesting accepted"); return }
        #expect(location.column > 200)
        let viaAlias = "trellis: 1\nparams:\n  a: &a " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            + "\n  b: " + String(repeating: "[", count: 60) + "*a" + String(repeating: "]", count: 60) + "\n"
        guard case .nestingTooDeep? = locatedError(viaAlias, line: 4) else { Issue.record("deep alias accepted"); return }
        // A 20,000-stage chain is ordered without deep recursion.
        var text = "trellis: 1\nstages:\n  s0: {run: x}\n"
        for i in 1..<20_000 { text += "  s\(i): {run: x, needs: [s\(i - 1)]}\n" }
        scratch.write("m.yaml", text)
        #expect(try scratch.load().instances.last?.upstream == ["s19998"])
    }
}
